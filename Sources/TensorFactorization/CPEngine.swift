/// Loss and gradient of a CP factorization on a ``TensorObjective``, into preallocated buffers.
///
/// For an observed entry i = (i₁…i_N) the model's value is Σ_r Π_n Aⁿ[iₙ, r], and
/// ∂ℓ/∂Aⁿ[iₙ, r] = c_g·r_i·Π_{m≠n} Aᵐ[i_m, r], formed from prefix and suffix products over the modes
/// (no division), O(N·R) per observed entry. Nothing is allocated per call.
public final class CPEngine {
  /// The factorization's shape.
  public let shape: CPShape
  /// The objective.
  public let objective: TensorObjective
  /// rows[k·N + n]: where observed entry k's row of mode n starts in the parameter vector.
  private let rows: [Int]
  private let values: [Double]
  private let scales: (loss: Double, gradient: Double)
  /// Suffix products Π_{m>n} Aᵐ[i_m, r], N·R.
  private var suffix: [Double]
  /// The running prefix product Π_{m<n}, R.
  private var prefix: [Double]

  /// An engine for `shape` (its dimensions must be the target's) on `objective`.
  public init(shape: CPShape, objective: TensorObjective) {
    precondition(shape.dimensions == objective.target.dimensions, "the CP shape and the target differ in dimensions")
    self.shape = shape
    self.objective = objective
    let observed = objective.observedIndices
    var rows = [Int]()
    rows.reserveCapacity(observed.count * shape.order)
    for linear in observed {
      let index = shape.multiIndex(linear)
      for n in 0 ..< shape.order { rows.append(shape.offset(ofMode: n) + index[n] * shape.components) }
    }
    self.rows = rows
    self.values = observed.map { objective.target.entries[$0] }
    self.scales = objective.scales
    suffix = [Double](repeating: 0, count: shape.order * shape.components)
    prefix = [Double](repeating: 0, count: shape.components)
  }

  /// The loss at `parameters`; with `gradient`, also ∇ℓ written there (`parameterCount` entries).
  @discardableResult
  public func loss(at parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>?) -> Double {
    let order = shape.order, r = shape.components
    if let gradient { gradient.initialize(repeating: 0, count: shape.parameterCount) }
    var sum = 0.0
    rows.withUnsafeBufferPointer { rows in
      suffix.withUnsafeMutableBufferPointer { suffix in
        prefix.withUnsafeMutableBufferPointer { prefix in
          for k in 0 ..< values.count {
            let row = rows.baseAddress! + k * order
            // suffix[n] = Π_{m>n} Aᵐ[i_m, ·]
            let last = suffix.baseAddress! + (order - 1) * r
            for c in 0 ..< r { last[c] = 1 }
            for n in stride(from: order - 2, through: 0, by: -1) {
              let out = suffix.baseAddress! + n * r, next = suffix.baseAddress! + (n + 1) * r, a = parameters + row[n + 1]
              for c in 0 ..< r { out[c] = next[c] * a[c] }
            }
            let first = parameters + row[0], s0 = suffix.baseAddress!
            var value = 0.0
            for c in 0 ..< r { value += first[c] * s0[c] }
            let residual = value - values[k]
            sum += residual * residual
            guard let gradient else { continue }
            let g = scales.gradient * residual
            let p = prefix.baseAddress!
            for c in 0 ..< r { p[c] = g }
            for n in 0 ..< order {
              let out = gradient + row[n], a = parameters + row[n], s = suffix.baseAddress! + n * r
              for c in 0 ..< r {
                out[c] += p[c] * s[c]
                p[c] *= a[c]
              }
            }
          }
        }
      }
    }
    return scales.loss * sum
  }

  /// The full tensor W = Σ_r w_r¹ ⊗ ⋯ ⊗ w_r^N at `parameters` (allocates: for records, not steps).
  public func tensor(at parameters: [Double]) -> Tensor {
    var entries = [Double](repeating: 0, count: shape.entryCount)
    let r = shape.components
    var product = [Double](repeating: 0, count: r)
    for linear in entries.indices {
      let index = shape.multiIndex(linear)
      for c in 0 ..< r { product[c] = 1 }
      for n in 0 ..< shape.order {
        let start = shape.offset(ofMode: n) + index[n] * r
        for c in 0 ..< r { product[c] *= parameters[start + c] }
      }
      entries[linear] = product.reduce(0, +)
    }
    return Tensor(dimensions: shape.dimensions, entries: entries)
  }

  /// ‖w_r¹‖ ⋯ ‖w_r^N‖ for every component r (the norm of the rank-one tensor w_r¹ ⊗ ⋯ ⊗ w_r^N).
  public func componentNorms(at parameters: [Double]) -> [Double] {
    (0 ..< shape.components).map { c in factorNorms(at: parameters, component: c).reduce(1, *) }
  }

  /// ‖w_rⁿ‖ for n = 1…N, of component r.
  public func factorNorms(at parameters: [Double], component c: Int) -> [Double] {
    (0 ..< shape.order).map { n in
      let start = shape.offset(ofMode: n)
      var sum = 0.0
      for i in 0 ..< shape.dimensions[n] {
        let v = parameters[start + i * shape.components + c]
        sum += v * v
      }
      return sum.squareRoot()
    }
  }

  /// ‖W − target‖_F/‖target‖_F over every entry: the tensor code's reconstruction error.
  public func reconstructionError(at parameters: [Double]) -> Double {
    reconstructionError(of: tensor(at: parameters))
  }

  /// ‖w − target‖_F/‖target‖_F for a tensor `w` of the target's shape (W from ``tensor(at:)``).
  public func reconstructionError(of w: Tensor) -> Double {
    var sum = 0.0
    for (a, b) in zip(w.entries, objective.target.entries) { sum += (a - b) * (a - b) }
    return sum.squareRoot() / objective.target.frobeniusNorm
  }
}
