public import LinearAlgebra

/// Which entries or measurements of the end-to-end matrix the loss sees.
public enum Observations: Sendable, Equatable {
  /// Matrix completion: the listed (row, column) entries of the target, zero-based.
  case entries([Entry])
  /// Full reconstruction: every entry of the target.
  case all
  /// Matrix sensing: measurements yᵢ = ⟨Aᵢ, W*⟩ with the given measurement matrices.
  case sensing([Matrix])

  /// A zero-based (row, column) position.
  public struct Entry: Hashable, Sendable, Codable {
    /// The row.
    public var row: Int
    /// The column.
    public var column: Int

    /// The entry at (row, column).
    public init(_ row: Int, _ column: Int) {
      self.row = row
      self.column = column
    }
  }
}

/// How residuals are reduced to a loss.
public enum LossReduction: String, Sendable, Equatable, CaseIterable, Codable {
  /// ½ Σ residual² (Razin & Cohen's convention).
  case halfSum = "half-sum"
  /// (1/m) Σ residual² over the m observations (Arora et al.'s convention).
  case mean

  /// The factors c_ℓ, c_g of ℓ = c_ℓ Σ r² and ∇ℓ = c_g r over `observations` residuals r.
  @inline(__always)
  package func scales(observations: Int) -> (loss: Double, gradient: Double) {
    let m = Double(Swift.max(1, observations))
    return self == .halfSum ? (0.5, 1.0) : (1 / m, 2 / m)
  }
}

/// A loss ℓ(W) on the end-to-end matrix: squared residuals on observed entries or measurements.
///
/// Completion and full reconstruction compare entries of W with the target; sensing compares
/// ⟨Aᵢ, W⟩ with yᵢ = ⟨Aᵢ, W*⟩. The gradient ∇ℓ(W) is written into a preallocated buffer without
/// allocating (see ``evaluate(_:gradient:scratch:)``).
public struct Objective: Sendable {
  /// The target W* (d_out × d_in).
  public let target: Matrix
  /// What the loss observes.
  public let observations: Observations
  /// How residuals are reduced.
  public let reduction: LossReduction
  /// Minibatch gradients (nil: every evaluation's gradient uses every observation).
  public let minibatch: Minibatch?
  /// Column-major linear indices of observed entries (completion and full reconstruction).
  let observedIndices: [Int]
  /// The target's values at `observedIndices`.
  let observedValues: [Double]
  /// Sensing operator: m × (d_out·d_in), row i is vec(Aᵢ)ᵀ (column-major vec).
  let sensingOperator: [Double]
  /// Sensing measurements yᵢ.
  let measurements: [Double]

  /// The number of observations m (entries or measurements).
  public var observationCount: Int {
    if case .sensing(let matrices) = observations { return matrices.count }
    return observedIndices.count
  }

  /// An objective. Entries must lie inside the target and be distinct; sensing matrices must have
  /// the target's shape (the problem-file reader checks these with messages; here they are
  /// preconditions).
  public init(target: Matrix, observations: Observations, reduction: LossReduction, minibatch: Minibatch? = nil) {
    self.target = target
    self.observations = observations
    self.reduction = reduction
    self.minibatch = minibatch
    let m = target.rows, n = target.columns
    switch observations {
    case .entries(let entries):
      var seen = Set<Int>()
      observedIndices = entries.map { entry in
        precondition(entry.row >= 0 && entry.row < m && entry.column >= 0 && entry.column < n, "entry (\(entry.row), \(entry.column)) is outside the \(m)×\(n) target")
        let index = entry.row + entry.column * m
        precondition(seen.insert(index).inserted, "entry (\(entry.row), \(entry.column)) is listed twice")
        return index
      }
      observedValues = observedIndices.map { target.columnMajorElements[$0] }
      sensingOperator = []
      measurements = []
    case .all:
      observedIndices = Array(0 ..< m * n)
      observedValues = target.columnMajorElements
      sensingOperator = []
      measurements = []
    case .sensing(let matrices):
      observedIndices = []
      observedValues = []
      let count = matrices.count, size = m * n
      var stacked = [Double](repeating: 0, count: count * size)
      for (i, a) in matrices.enumerated() {
        precondition(a.rows == m && a.columns == n, "sensing matrix \(i) is \(a.rows)×\(a.columns), the target is \(m)×\(n)")
        let elements = a.columnMajorElements
        for k in 0 ..< size { stacked[i + k * count] = elements[k] }
      }
      sensingOperator = stacked
      measurements = matrices.map { Matrix.frobeniusInner($0, target) }
    }
  }

  /// The observed fraction of W's entries (1 for full reconstruction; 0 for sensing, which observes none directly).
  public var observedFraction: Double { Double(observedIndices.count) / Double(target.rows * target.columns) }

  /// Scratch doubles ``evaluate(_:gradient:scratch:)`` needs: one per sensing measurement, then, for
  /// minibatch gradients, one weight per observation and the count of evaluations so far (the
  /// scratch must start zeroed and be kept for the run: it carries that count).
  public var scratchCount: Int { measurements.count + (minibatch == nil ? 0 : observationCount + 1) }

  /// The loss at W and its gradient ∇ℓ(W), written into `gradient` (d_out × d_in, column-major).
  ///
  /// Allocates nothing. `scratch` must hold ``scratchCount`` doubles.
  @inline(__always)
  public func evaluate(
    _ w: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
  ) -> Double {
    if let minibatch { return evaluate(w, gradient: gradient, scratch: scratch, minibatch: minibatch) }
    let size = target.rows * target.columns
    let (lossScale, gradientScale) = reduction.scales(observations: observationCount)
    var sum = 0.0
    if case .sensing = observations {
      let count = measurements.count
      guard count > 0 else {
        gradient.update(repeating: 0, count: size)
        return 0
      }
      // r = A vec(W) − y; ∇ = c · Aᵀ r. Small operators use loops (no BLAS call), large ones gemv.
      measurements.withUnsafeBufferPointer { y in
        for i in 0 ..< count { scratch[i] = y[i] }
      }
      sensingOperator.withUnsafeBufferPointer { a in
        let a = a.baseAddress!
        if count * size <= 256 {
          for i in 0 ..< count {
            var r = -scratch[i]
            for k in 0 ..< size { r += a[i + k * count] * w[k] }
            scratch[i] = r
            sum += r * r
          }
          for k in 0 ..< size {
            var g = 0.0
            for i in 0 ..< count { g += a[i + k * count] * scratch[i] }
            gradient[k] = gradientScale * g
          }
        } else {
          BLAS.gemv(transposingA: false, m: count, n: size, alpha: 1, a: a, lda: count, x: w, beta: -1, y: scratch)
          for i in 0 ..< count { sum += scratch[i] * scratch[i] }
          BLAS.gemv(transposingA: true, m: count, n: size, alpha: gradientScale, a: a, lda: count, x: scratch, beta: 0, y: gradient)
        }
      }
      return lossScale * sum
    }
    gradient.update(repeating: 0, count: size)
    observedIndices.withUnsafeBufferPointer { indices in
      observedValues.withUnsafeBufferPointer { values in
        for k in 0 ..< indices.count {
          let index = indices[k]
          let residual = w[index] - values[k]
          sum += residual * residual
          gradient[index] = gradientScale * residual
        }
      }
    }
    return lossScale * sum
  }

  /// ``evaluate(_:gradient:scratch:)`` with a minibatch gradient: the full loss at `w`, and the
  /// gradient of the residuals of the batch this evaluation draws, each weighted m/size (the
  /// evaluation count in `scratch` picks the batch and moves on by one).
  @inline(__always)
  private func evaluate(
    _ w: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>, minibatch: Minibatch
  ) -> Double {
    let size = target.rows * target.columns, count = observationCount
    guard count > 0 else {
      gradient.update(repeating: 0, count: size)
      return 0
    }
    let (lossScale, gradientScale) = reduction.scales(observations: count)
    let residuals = scratch, weights = scratch + measurements.count, draws = weights + count
    minibatch.drawWeights(weights, count: count, draw: UInt64(draws.pointee))
    draws.pointee += 1
    var sum = 0.0
    if case .sensing = observations {
      // r = A vec(W) − y over every measurement (the loss); ∇ = c · Aᵀ (weights ∘ r).
      measurements.withUnsafeBufferPointer { y in
        for i in 0 ..< count { residuals[i] = y[i] }
      }
      sensingOperator.withUnsafeBufferPointer { a in
        let a = a.baseAddress!
        BLAS.gemv(transposingA: false, m: count, n: size, alpha: 1, a: a, lda: count, x: w, beta: -1, y: residuals)
        for i in 0 ..< count {
          sum += residuals[i] * residuals[i]
          residuals[i] *= weights[i]
        }
        BLAS.gemv(transposingA: true, m: count, n: size, alpha: gradientScale, a: a, lda: count, x: residuals, beta: 0, y: gradient)
      }
      return lossScale * sum
    }
    gradient.update(repeating: 0, count: size)
    observedIndices.withUnsafeBufferPointer { indices in
      observedValues.withUnsafeBufferPointer { values in
        for k in 0 ..< indices.count {
          let index = indices[k]
          let residual = w[index] - values[k]
          sum += residual * residual
          gradient[index] = gradientScale * weights[k] * residual
        }
      }
    }
    return lossScale * sum
  }

  /// The loss at `w`.
  public func loss(at w: Matrix) -> Double {
    lossAndGradient(at: w).loss
  }

  /// The loss at `w` and its gradient ∇ℓ(w) as a new matrix.
  public func lossAndGradient(at w: Matrix) -> (loss: Double, gradient: Matrix) {
    precondition(w.rows == target.rows && w.columns == target.columns, "a \(w.rows)×\(w.columns) matrix for a \(target.rows)×\(target.columns) objective")
    var gradient = Matrix.zeros(w.rows, w.columns)
    var scratch = [Double](repeating: 0, count: Swift.max(1, scratchCount))
    let loss = w.withUnsafeBufferPointer { pw in
      gradient.withUnsafeMutableBufferPointer { pg in
        scratch.withUnsafeMutableBufferPointer { ps in
          evaluate(pw.baseAddress!, gradient: pg.baseAddress!, scratch: ps.baseAddress!)
        }
      }
    }
    return (loss, gradient)
  }
}
