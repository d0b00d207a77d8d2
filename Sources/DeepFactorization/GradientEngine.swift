public import LinearAlgebra

/// Computes the loss and the gradient of every factor, in place, with 3(N−1) matrix products.
///
/// Forward: prefix products P_1 = W_1, P_j = W_j P_{j−1}, so P_N = W. Then G = ∇ℓ(W). Backward:
/// B_N = G, B_j = W_{j+1}ᵀ B_{j+1}; the gradient of W_j is B_j P_{j−1}ᵀ (with P_0 = I, so that of
/// W_1 is B_1). All buffers live in one preallocated arena; a step allocates nothing. Networks whose
/// dimensions are all ≤ 4 use plain loops instead of BLAS calls (the scalar path); both paths give
/// the same gradients to rounding.
public struct GradientEngine: Sendable {
  /// The network's shape.
  public let shape: NetworkShape
  /// The loss.
  public let objective: Objective
  /// Whether this engine uses the loop-based small-matrix path.
  public let usesScalarPath: Bool

  // Arena layout (offsets into `workspace`).
  private let prefixOffsets: [Int]  // P_j for j = 2 … N (index j − 1); P_1 is W_1 itself
  private let backOffsets: [Int]  // B_j for j = 1 … N−1 (index j − 1); B_N is G
  private let gradientOfProductOffset: Int
  private let scratchOffset: Int
  private let workspaceCount: Int
  private let parameterOffsets: [Int]

  /// An engine; `forceScalarPath` (for tests) uses the loop path at any size, `forceBLAS` never.
  public init(shape: NetworkShape, objective: Objective, forceScalarPath: Bool = false, forceBLAS: Bool = false) {
    precondition(
      objective.target.rows == shape.rows && objective.target.columns == shape.columns,
      "a \(shape.rows)×\(shape.columns) network for a \(objective.target.rows)×\(objective.target.columns) target")
    self.shape = shape
    self.objective = objective
    self.usesScalarPath = forceScalarPath || (shape.isSmall && !forceBLAS)
    parameterOffsets = shape.offsets
    var cursor = 0
    var prefixes: [Int] = []
    var backs: [Int] = []
    let n = shape.depth
    for j in 1 ..< n {  // P_{j+1}: rows of factor j × d_in
      prefixes.append(cursor)
      cursor += shape.factorShape(j).rows * shape.columns
    }
    for j in 0 ..< n - 1 {  // B_{j+1}: rows of factor j × d_in
      backs.append(cursor)
      cursor += shape.factorShape(j).rows * shape.columns
    }
    gradientOfProductOffset = cursor
    cursor += shape.rows * shape.columns
    scratchOffset = cursor
    cursor += Swift.max(1, objective.scratchCount)
    prefixOffsets = prefixes
    backOffsets = backs
    workspaceCount = cursor
  }

  /// The number of doubles the workspace must hold.
  public var workspaceSize: Int { workspaceCount }

  /// Offset in the workspace of the end-to-end product W after ``evaluate(parameters:gradients:workspace:)``
  /// (for depth 1 the product is the parameter vector itself).
  var productOffsetInWorkspace: Int? { shape.depth == 1 ? nil : prefixOffsets[shape.depth - 2] }

  /// Computes ℓ(W) and writes every factor's gradient into `gradients` (laid out like `parameters`).
  @inline(__always)
  public func evaluate(
    parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) -> Double {
    let n = shape.depth
    let dIn = shape.columns
    let g = workspace + gradientOfProductOffset
    let scratch = workspace + scratchOffset
    if n == 1 {
      return objective.evaluate(parameters, gradient: gradients, scratch: scratch)
    }
    // Forward: P_{j+1} = W_{j+1} P_j, for factor index j = 1 … n−1.
    for j in 1 ..< n {
      let (r, c) = shape.factorShape(j)
      let previous: UnsafePointer<Double> = j == 1 ? parameters + parameterOffsets[0] : UnsafePointer(workspace + prefixOffsets[j - 2])
      multiply(
        transposingA: false, transposingB: false, m: r, n: dIn, k: c,
        a: parameters + parameterOffsets[j], lda: r, b: previous, ldb: c,
        c: workspace + prefixOffsets[j - 1], ldc: r)
    }
    let w = UnsafePointer(workspace + prefixOffsets[n - 2])
    let loss = objective.evaluate(w, gradient: g, scratch: scratch)
    // Backward: B_j = W_{j+1}ᵀ B_{j+1} for factor index j = n−2 … 0 (B_{n−1} = G).
    for j in stride(from: n - 2, through: 0, by: -1) {
      let (rNext, cNext) = shape.factorShape(j + 1)
      let upstream: UnsafePointer<Double> = j == n - 2 ? UnsafePointer(g) : UnsafePointer(workspace + backOffsets[j + 1])
      multiply(
        transposingA: true, transposingB: false, m: cNext, n: dIn, k: rNext,
        a: parameters + parameterOffsets[j + 1], lda: rNext, b: upstream, ldb: rNext,
        c: workspace + backOffsets[j], ldc: cNext)
    }
    // Gradients: ∇W_j = B_j P_{j−1}ᵀ; ∇W_1 = B_1 (times P_0ᵀ = I, a copy of d_in columns).
    let (r0, c0) = shape.factorShape(0)
    let b1 = workspace + backOffsets[0]
    (gradients + parameterOffsets[0]).update(from: b1, count: r0 * c0)
    for j in 1 ..< n {
      let (r, c) = shape.factorShape(j)
      let back: UnsafePointer<Double> = j == n - 1 ? UnsafePointer(g) : UnsafePointer(workspace + backOffsets[j])
      let previous: UnsafePointer<Double> = j == 1 ? parameters + parameterOffsets[0] : UnsafePointer(workspace + prefixOffsets[j - 2])
      multiply(
        transposingA: false, transposingB: true, m: r, n: c, k: dIn,
        a: back, lda: r, b: previous, ldb: c,
        c: gradients + parameterOffsets[j], ldc: r)
    }
    return loss
  }

  /// C = op(A) op(B) (β = 0): BLAS, or plain loops on the scalar path.
  @inline(__always)
  private func multiply(
    transposingA: Bool, transposingB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    if !usesScalarPath {
      BLAS.gemm(
        transposingA: transposingA, transposingB: transposingB, m: m, n: n, k: k,
        alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: ldc)
      return
    }
    for col in 0 ..< n {
      for row in 0 ..< m {
        var sum = 0.0
        for p in 0 ..< k {
          let x = transposingA ? a[p + row * lda] : a[row + p * lda]
          let y = transposingB ? b[col + p * ldb] : b[p + col * ldb]
          sum += x * y
        }
        c[row + col * ldc] = sum
      }
    }
  }

  /// The end-to-end product of `parameters` (a new matrix; for recording, not for hot loops).
  public func product(of parameters: [Double]) -> Matrix {
    let factors = self.factors(of: parameters)
    var result = factors[0]
    for factor in factors.dropFirst() { result = factor * result }
    return result
  }

  /// The factors W_1 … W_N of a flat parameter vector, as matrices.
  public func factors(of parameters: [Double]) -> [Matrix] {
    (0 ..< shape.depth).map { j in
      let (r, c) = shape.factorShape(j)
      return Matrix(rows: r, columns: c, columnMajor: Array(parameters[parameterOffsets[j] ..< parameterOffsets[j + 1]]))
    }
  }

  /// The flat parameter vector of the given factors.
  public func parameters(of factors: [Matrix]) -> [Double] {
    precondition(factors.count == shape.depth, "\(factors.count) factors for a depth-\(shape.depth) network")
    var result: [Double] = []
    result.reserveCapacity(shape.parameterCount)
    for (j, factor) in factors.enumerated() {
      let (r, c) = shape.factorShape(j)
      precondition(factor.rows == r && factor.columns == c, "factor \(j + 1) is \(factor.rows)×\(factor.columns), expected \(r)×\(c)")
      result += factor.columnMajorElements
    }
    return result
  }

  /// The loss and the factor gradients at `factors` (allocating; for tests and one-off checks).
  public func lossAndGradients(at factors: [Matrix]) -> (loss: Double, gradients: [Matrix]) {
    let parameters = self.parameters(of: factors)
    var gradients = [Double](repeating: 0, count: parameters.count)
    var workspace = [Double](repeating: 0, count: workspaceSize)
    let loss = parameters.withUnsafeBufferPointer { p in
      gradients.withUnsafeMutableBufferPointer { g in
        workspace.withUnsafeMutableBufferPointer { w in
          evaluate(parameters: p.baseAddress!, gradients: g.baseAddress!, workspace: w.baseAddress!)
        }
      }
    }
    return (loss, self.factors(of: gradients))
  }
}
