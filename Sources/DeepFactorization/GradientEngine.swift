public import LinearAlgebra

/// Computes the loss and the gradient of every factor, in place, with preallocated buffers.
///
/// Write F_0 … F_{N−1} for the factors W_1 … W_N, Prefix_f = F_f ⋯ F_0 and G = ∇ℓ(W). The gradient of
/// F_f is Back_f Prefix_{f−1}ᵀ with Back_f = (F_{N−1} ⋯ F_{f+1})ᵀ G (that of F_0 is Back_0). The
/// engine follows one of three paths, chosen once per problem (``Path``):
/// - **dense**: the prefixes up to W, then Back_f = F_{f+1}ᵀ Back_{f+1}: 3(N−1) BLAS products;
/// - **sparse** (completion observing less than ``sparseDensityCrossover`` of W): W is needed only at
///   the m observed entries and G has m non-zeros, so W's entries are m dot products of a row of
///   F_{N−1} with a column of Prefix_{N−2}; each column of Back_{N−2} = F_{N−1}ᵀ G and of F_{N−1}'s
///   gradient (G Prefix_{N−2}ᵀ)ᵀ is a sum over its column's or row's entries, held in registers
///   (`SparseKernels`); 3(N−2) dense products remain;
/// - **fixedSize** (every factor d × d with d ≤ 4): the scalar path's arithmetic with d known at
///   compile time, so that every product unrolls (bit-identical to the scalar path);
/// - **scalar** (other networks whose dimensions are all ≤ 4): the dense path's products as plain
///   loops, no BLAS call.
/// All paths give the same gradients to rounding; a step allocates nothing.
public struct GradientEngine: Sendable {
  /// How the engine computes a gradient.
  public enum Path: String, Sendable, CaseIterable {
    /// 3(N−1) BLAS products, W formed in full.
    case dense
    /// Completion only: W at the observed entries, 3(N−2) BLAS products and O(m·width) sparse work.
    case sparse
    /// The dense path's products as plain loops (networks whose dimensions are all ≤ 4).
    case scalar
    /// The scalar path's arithmetic specialized for d × d factors, d ≤ 4.
    case fixedSize
  }

  /// The observed fraction of W's entries below which completion takes the sparse path.
  ///
  /// Measured with `Benchmarks` (`engine step d=… completion …% gd dense|sparse`, 2-core AMD EPYC,
  /// OpenBLAS `Cooperlake`), sparse step against dense step at depth 3: d = 100, 0.62× at 5 %, 0.83× at
  /// 20 %, 0.96× at 30 %, 1.09× at 40 %; d = 50, 0.69×, 0.84×, 0.95× at 5, 20, 30 %; d = 30, 0.63× at
  /// 5 %, 1.06× at 20 %. On a Zen 3 EPYC (OpenBLAS `Zen`), d = 100: about 0.7× at 5 %, 0.82–0.87× at 20 %,
  /// 0.83–0.92× at 30 %, 0.94–1.06× at 40 %.
  public static let sparseDensityCrossover = 0.25

  /// The network's shape.
  public let shape: NetworkShape
  /// The loss.
  public let objective: Objective
  /// The path this engine takes.
  public let path: Path
  /// Whether this engine uses a loop-based small-matrix path (scalar or fixed-size).
  public var usesScalarPath: Bool { path == .scalar || path == .fixedSize }

  // Arena layout (offsets into `workspace`).
  private let prefixOffsets: [Int]  // Prefix_f for f = 1 … N−1 at index f − 1 (Prefix_0 is F_0 itself; the sparse path stops at N−2)
  private let backOffsets: [Int]  // Back_f for f = 1 … N−2 at index f (Back_0 is F_0's gradient, written in place; Back_{N−1} is G)
  private let gradientOfProductOffset: Int
  private let scratchOffset: Int
  private let workspaceCount: Int
  private let parameterOffsets: [Int]
  // The sparse path: the observed entries in column-major order, and its buffers.
  private let sparse: SparseCompletion?
  // The fixed-size path's engine.
  let fixedSize: FixedSizeEngines?

  /// The sparse path's entry lists and the offsets of its buffers.
  private struct SparseCompletion: Sendable {
    // The entries sorted by column (then row): rows, target values, and where each column starts
    // (d_in + 1 offsets).
    var rows: [Int]
    var values: [Double]
    var columnStart: [Int]
    // The same entries sorted by row (then column): positions in the column order, columns, and
    // where each row starts (d_out + 1 offsets).
    var byRow: [Int]
    var columnsByRow: [Int]
    var rowStart: [Int]
    // F_{N−1}ᵀ, width × d_out; then (gradient of F_{N−1})ᵀ, which is formed after F_{N−1}ᵀ's last use. At
    // depth ≥ 3 it borrows F_0's gradient where that fits (nil here): F_0's gradient is Back_0, formed
    // only after the sparse passes, and one buffer fewer keeps more of a step in cache.
    var transposedLastOffset: Int?
    var entriesOffset: Int  // the scaled residuals G_rc in column order, m doubles
  }

  /// An engine; `path` forces one (for tests and benchmarks; the sparse path needs completion and
  /// depth ≥ 2), otherwise the scalar path for small networks, sparse for completion observing
  /// less than ``sparseDensityCrossover`` of W, dense otherwise.
  public init(shape: NetworkShape, objective: Objective, path: Path? = nil) {
    precondition(
      objective.target.rows == shape.rows && objective.target.columns == shape.columns,
      "a \(shape.rows)×\(shape.columns) network for a \(objective.target.rows)×\(objective.target.columns) target")
    self.shape = shape
    self.objective = objective
    let n = shape.depth
    let isCompletion = if case .entries = objective.observations { true } else { false }
    let chosen: Path
    // Minibatch gradients go through the objective's evaluation: the dense and scalar paths only.
    let sampled = objective.minibatch != nil
    let fixed = shape.isSmall && !sampled ? FixedSizeEngines(shape: shape, objective: objective) : nil
    if let path {
      precondition(path != .sparse || (isCompletion && n >= 2 && !sampled), "the sparse path needs a full-batch completion objective and depth ≥ 2")
      precondition(path != .fixedSize || fixed != nil, "the fixed-size path needs d × d factors with d ≤ 4, got \(path) for \(shape)")
      chosen = path
    } else if fixed != nil {
      chosen = .fixedSize
    } else if shape.isSmall {
      chosen = .scalar
    } else if isCompletion && n >= 2 && !sampled && objective.observedFraction < Self.sparseDensityCrossover {
      chosen = .sparse
    } else {
      chosen = .dense
    }
    self.path = chosen
    fixedSize = chosen == .fixedSize ? fixed : nil
    parameterOffsets = shape.offsets
    var cursor = 0
    var prefixes: [Int] = []
    var backs: [Int] = []
    for j in 1 ..< n {  // Prefix_j: rows of factor j × d_in
      prefixes.append(cursor)
      if chosen != .sparse || j < n - 1 { cursor += shape.factorShape(j).rows * shape.columns }
    }
    for j in 0 ..< n - 1 {  // Back_j: rows of factor j × d_in (Back_0 lives in the gradients)
      backs.append(cursor)
      if j > 0 { cursor += shape.factorShape(j).rows * shape.columns }
    }
    gradientOfProductOffset = cursor
    if chosen != .sparse { cursor += shape.rows * shape.columns }
    scratchOffset = cursor
    cursor += Swift.max(1, objective.scratchCount)
    if chosen == .sparse {
      // Entries sorted by column for the pass that writes Back_{N−2}'s columns, by row for the one that
      // writes (F_{N−1}'s gradient)ᵀ's: each pass keeps the column it writes in cache.
      let order = objective.observedIndices.indices.sorted { objective.observedIndices[$0] < objective.observedIndices[$1] }
      let rows = order.map { objective.observedIndices[$0] % shape.rows }, columns = order.map { objective.observedIndices[$0] / shape.rows }
      let byRow = rows.indices.sorted { (rows[$0], columns[$0]) < (rows[$1], columns[$1]) }
      let k = shape.factorShape(n - 1).columns
      let borrows = n >= 3 && shape.factorShape(0).rows * shape.factorShape(0).columns >= k * shape.rows
      let transposedLast: Int? = borrows ? nil : cursor
      if !borrows { cursor += k * shape.rows }
      let entries = cursor
      cursor += order.count
      sparse = SparseCompletion(
        rows: rows, values: order.map { objective.observedValues[$0] }, columnStart: Self.groupStarts(columns, groups: shape.columns),
        byRow: byRow, columnsByRow: byRow.map { columns[$0] }, rowStart: Self.groupStarts(byRow.map { rows[$0] }, groups: shape.rows),
        transposedLastOffset: transposedLast, entriesOffset: entries)
    } else {
      sparse = nil
    }
    prefixOffsets = prefixes
    backOffsets = backs
    workspaceCount = fixedSize?.workspaceSize ?? cursor
  }

  /// Where each group starts in a list sorted by group: groups + 1 offsets, the last one the count.
  private static func groupStarts(_ sortedGroups: [Int], groups: Int) -> [Int] {
    var start = [Int](repeating: 0, count: groups + 1)
    for group in sortedGroups { start[group + 1] += 1 }
    for g in 0 ..< groups { start[g + 1] += start[g] }
    return start
  }

  /// The number of doubles the workspace must hold.
  public var workspaceSize: Int { workspaceCount }

  /// Computes ℓ(W) and writes every factor's gradient into `gradients` (laid out like `parameters`).
  @inline(__always)
  public func evaluate(
    parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) -> Double {
    if let fixedSize { return fixedSize.evaluate(parameters: parameters, gradients: gradients, workspace: workspace) }
    let n = shape.depth
    if n == 1 {
      return objective.evaluate(parameters, gradient: gradients, scratch: workspace + scratchOffset)
    }
    // Forward: Prefix_j = F_j Prefix_{j−1}, up to W (dense) or Prefix_{N−2} (sparse).
    for j in 1 ..< (path == .sparse ? n - 1 : n) {
      let (r, c) = shape.factorShape(j)
      multiply(
        transposingA: false, transposingB: false, m: r, n: shape.columns, k: c,
        a: parameters + parameterOffsets[j], lda: r, b: prefix(j - 1, parameters, workspace), ldb: c,
        c: workspace + prefixOffsets[j - 1], ldc: r)
    }
    let loss: Double
    if let sparse {
      loss = evaluateSparseLastFactor(sparse, parameters: parameters, gradients: gradients, workspace: workspace)
    } else {
      let g = workspace + gradientOfProductOffset
      loss = objective.evaluate(UnsafePointer(workspace + prefixOffsets[n - 2]), gradient: g, scratch: workspace + scratchOffset)
      // Back_{N−2} = F_{N−1}ᵀ G and F_{N−1}'s gradient G Prefix_{N−2}ᵀ.
      let (r, c) = shape.factorShape(n - 1)
      multiply(
        transposingA: true, transposingB: false, m: c, n: shape.columns, k: r,
        a: parameters + parameterOffsets[n - 1], lda: r, b: g, ldb: r, c: back(n - 2, gradients, workspace), ldc: c)
      multiply(
        transposingA: false, transposingB: true, m: r, n: c, k: shape.columns,
        a: g, lda: r, b: prefix(n - 2, parameters, workspace), ldb: c, c: gradients + parameterOffsets[n - 1], ldc: r)
    }
    // Backward: Back_j = F_{j+1}ᵀ Back_{j+1} for j = N−3 … 0.
    for j in stride(from: n - 3, through: 0, by: -1) {
      let (r, c) = shape.factorShape(j + 1)
      multiply(
        transposingA: true, transposingB: false, m: c, n: shape.columns, k: r,
        a: parameters + parameterOffsets[j + 1], lda: r, b: back(j + 1, gradients, workspace), ldb: r,
        c: back(j, gradients, workspace), ldc: c)
    }
    // Gradients: F_0's is Back_0, already in place; F_j's is Back_j Prefix_{j−1}ᵀ for j = 1 … N−2.
    for j in 1 ..< n - 1 {
      let (r, c) = shape.factorShape(j)
      multiply(
        transposingA: false, transposingB: true, m: r, n: c, k: shape.columns,
        a: workspace + backOffsets[j], lda: r, b: prefix(j - 1, parameters, workspace), ldb: c,
        c: gradients + parameterOffsets[j], ldc: r)
    }
    return loss
  }

  /// Back_j: F_0's gradient for j = 0 (where Back_0 is formed), the workspace's block otherwise.
  @inline(__always)
  private func back(_ j: Int, _ gradients: UnsafeMutablePointer<Double>, _ workspace: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
    j == 0 ? gradients + parameterOffsets[0] : workspace + backOffsets[j]
  }

  /// Prefix_j (F_0 for j = 0).
  @inline(__always)
  private func prefix(_ j: Int, _ parameters: UnsafePointer<Double>, _ workspace: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> {
    j == 0 ? parameters + parameterOffsets[0] : UnsafePointer(workspace + prefixOffsets[j - 1])
  }

  /// The sparse path's loss, Back_{N−2} and F_{N−1}'s gradient, from Prefix_{N−2} and F_{N−1}.
  @inline(__always)
  private func evaluateSparseLastFactor(
    _ sparse: SparseCompletion, parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>,
    workspace: UnsafeMutablePointer<Double>
  ) -> Double {
    let n = shape.depth
    let (dOut, k) = shape.factorShape(n - 1)
    let last = parameters + parameterOffsets[n - 1]
    // k × d_out: row i of F_{N−1} is column i here.
    let lastT = sparse.transposedLastOffset.map { workspace + $0 } ?? gradients + parameterOffsets[0]
    let prefix = self.prefix(n - 2, parameters, workspace)  // k × d_in
    let back = self.back(n - 2, gradients, workspace)  // k × d_in
    let gradientT = lastT  // k × d_out, formed after the last read of F_{N−1}ᵀ
    let entries = workspace + sparse.entriesOffset
    let (lossScale, gradientScale) = objective.reduction.scales(observations: objective.observationCount)
    SparseKernels.transpose(rows: dOut, columns: k, a: last, lda: dOut, into: lastT, ldb: k)
    // Back_{N−2} = F_{N−1}ᵀ G: column c sums G_rc · (row r of F_{N−1}) over its entries, in the pass
    // that forms W_rc = (row r of F_{N−1}) · (column c of Prefix_{N−2}) and the scaled residuals G_rc.
    let sum = sparse.rows.withUnsafeBufferPointer { rows in
      sparse.columnStart.withUnsafeBufferPointer { start in
        sparse.values.withUnsafeBufferPointer { values in
          SparseKernels.completionResiduals(
            k: k, a: lastT, lda: k, aColumns: rows.baseAddress!, b: prefix, ldb: k, start: start.baseAddress!, groups: shape.columns,
            targets: values.baseAddress!, scale: gradientScale, residuals: entries, into: back, ldc: k)
        }
      }
    }
    // (G Prefix_{N−2}ᵀ)ᵀ: column r sums G_rc · (column c of Prefix_{N−2}) over row r's entries.
    sparse.byRow.withUnsafeBufferPointer { byRow in
      sparse.columnsByRow.withUnsafeBufferPointer { columns in
        sparse.rowStart.withUnsafeBufferPointer { start in
          SparseKernels.groupedSums(
            k: k, a: prefix, lda: k, aColumns: columns.baseAddress!, scales: entries, scaleIndices: byRow.baseAddress!,
            start: start.baseAddress!, groups: dOut, into: gradientT, ldc: k)
        }
      }
    }
    SparseKernels.transpose(rows: k, columns: dOut, a: gradientT, lda: k, into: gradients + parameterOffsets[n - 1], ldb: dOut)
    return lossScale * sum
  }

  /// C = op(A) op(B) (β = 0): BLAS, or plain loops on the scalar path.
  @inline(__always)
  private func multiply(
    transposingA: Bool, transposingB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    if path != .scalar && path != .fixedSize {
      // C is zeroed here and the product added into it (β = 1): OpenBLAS's kernels always add into C,
      // and for β = 0 it first zeroes C with a loop of its own that took about 3 µs of a d = 100
      // product on a Zen 3 EPYC, against about 1 µs for this. The same sums either way.
      if ldc == m {
        c.update(repeating: 0, count: m * n)
      } else {
        for column in 0 ..< n { (c + column * ldc).update(repeating: 0, count: m) }
      }
      BLAS.gemm(
        transposingA: transposingA, transposingB: transposingB, m: m, n: n, k: k,
        alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 1, c: c, ldc: ldc)
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
