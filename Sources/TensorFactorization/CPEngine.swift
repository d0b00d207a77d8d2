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
  /// rows[k·N + n]: where entry k's row of mode n starts in the parameter vector (the observed
  /// entries for completion, every entry for sensing).
  private let rows: [Int]
  /// The observed values (completion) or the measurements yₖ = ⟨Aₖ, target⟩ (sensing).
  private let values: [Double]
  /// The sensing tensors, m × entries, or nil.
  private let measurements: [Double]?
  private let scales: (loss: Double, gradient: Double)
  /// Suffix products Π_{m>n} Aᵐ[i_m, r], N·R.
  private var suffix: [Double]
  /// The running prefix product Π_{m<n}, R.
  private var prefix: [Double]
  /// Sensing only: W at every entry, then ∇ℓ(W) at every entry.
  private var dense: [Double]
  /// Sensing only: the m residuals.
  private var residuals: [Double]

  /// An engine for `shape` (its dimensions must be the target's) on `objective`.
  public init(shape: CPShape, objective: TensorObjective) {
    precondition(shape.dimensions == objective.target.dimensions, "the CP shape and the target differ in dimensions")
    self.shape = shape
    self.objective = objective
    let entries = objective.observedIndices
    var rows = [Int]()
    rows.reserveCapacity(entries.count * shape.order)
    for linear in entries {
      let index = shape.multiIndex(linear)
      for n in 0 ..< shape.order { rows.append(shape.offset(ofMode: n) + index[n] * shape.components) }
    }
    self.rows = rows
    self.measurements = objective.measurements
    if let measurements = objective.measurements {
      let size = objective.target.entries.count
      self.values = (0 ..< objective.residualCount).map { k in
        (0 ..< size).reduce(0) { $0 + measurements[k * size + $1] * objective.target.entries[$1] }
      }
      dense = [Double](repeating: 0, count: size)
      residuals = [Double](repeating: 0, count: objective.residualCount)
    } else {
      self.values = entries.map { objective.target.entries[$0] }
      dense = []
      residuals = []
    }
    self.scales = objective.scales
    suffix = [Double](repeating: 0, count: shape.order * shape.components)
    prefix = [Double](repeating: 0, count: shape.components)
  }

  /// The loss at `parameters`; with `gradient`, also ∇ℓ written there (`parameterCount` entries).
  @discardableResult
  public func loss(at parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>?) -> Double {
    if let gradient { gradient.initialize(repeating: 0, count: shape.parameterCount) }
    if measurements != nil { return sensingLoss(at: parameters, gradient: gradient) }
    let order = shape.order
    var sum = 0.0
    rows.withUnsafeBufferPointer { rows in
      suffix.withUnsafeMutableBufferPointer { suffix in
        prefix.withUnsafeMutableBufferPointer { prefix in
          for k in 0 ..< values.count {
            let row = rows.baseAddress! + k * order
            let residual = entry(row, parameters, suffix.baseAddress!) - values[k]
            sum += residual * residual
            guard let gradient else { continue }
            accumulate(scales.gradient * residual, row, parameters, suffix.baseAddress!, prefix.baseAddress!, gradient)
          }
        }
      }
    }
    return scales.loss * sum
  }

  /// Sensing: W at every entry, the residuals ⟨Aₖ, W⟩ − yₖ, then ∇ℓ(W) = c_g Σₖ rₖAₖ (written over W)
  /// pulled back to the factors entry by entry. O(m·Π dₙ + N·R·Π dₙ) per call.
  private func sensingLoss(at parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>?) -> Double {
    let order = shape.order, size = dense.count, m = values.count
    var sum = 0.0
    rows.withUnsafeBufferPointer { rows in
      suffix.withUnsafeMutableBufferPointer { suffix in
        prefix.withUnsafeMutableBufferPointer { prefix in
          dense.withUnsafeMutableBufferPointer { w in
            residuals.withUnsafeMutableBufferPointer { residuals in
              measurements!.withUnsafeBufferPointer { a in
                let rows = rows.baseAddress!, suffix = suffix.baseAddress!, a = a.baseAddress!
                for i in 0 ..< size { w[i] = entry(rows + i * order, parameters, suffix) }
                for k in 0 ..< m {
                  var inner = 0.0
                  let measurement = a + k * size
                  for i in 0 ..< size { inner += measurement[i] * w[i] }
                  residuals[k] = inner - values[k]
                  sum += residuals[k] * residuals[k]
                }
                guard let gradient else { return }
                for i in 0 ..< size { w[i] = 0 }
                for k in 0 ..< m {
                  let g = scales.gradient * residuals[k], measurement = a + k * size
                  for i in 0 ..< size { w[i] += g * measurement[i] }
                }
                for i in 0 ..< size {
                  let row = rows + i * order
                  _ = entry(row, parameters, suffix)
                  accumulate(w[i], row, parameters, suffix, prefix.baseAddress!, gradient)
                }
              }
            }
          }
        }
      }
    }
    return scales.loss * sum
  }

  /// Π_{m>n} Aᵐ[i_m, ·] into `suffix` for the entry whose rows start at `row`, and the entry's value.
  @inline(__always)
  private func entry(_ row: UnsafePointer<Int>, _ parameters: UnsafePointer<Double>, _ suffix: UnsafeMutablePointer<Double>) -> Double {
    let order = shape.order, r = shape.components
    let last = suffix + (order - 1) * r
    for c in 0 ..< r { last[c] = 1 }
    for n in stride(from: order - 2, through: 0, by: -1) {
      let out = suffix + n * r, next = suffix + (n + 1) * r, a = parameters + row[n + 1]
      for c in 0 ..< r { out[c] = next[c] * a[c] }
    }
    let first = parameters + row[0]
    var value = 0.0
    for c in 0 ..< r { value += first[c] * suffix[c] }
    return value
  }

  /// Adds g·Π_{m≠n} Aᵐ[i_m, ·] to every row of the entry (after ``entry(_:_:_:)`` filled `suffix`).
  @inline(__always)
  private func accumulate(
    _ g: Double, _ row: UnsafePointer<Int>, _ parameters: UnsafePointer<Double>, _ suffix: UnsafePointer<Double>, _ prefix: UnsafeMutablePointer<Double>,
    _ gradient: UnsafeMutablePointer<Double>
  ) {
    let order = shape.order, r = shape.components
    for c in 0 ..< r { prefix[c] = g }
    for n in 0 ..< order {
      let out = gradient + row[n], a = parameters + row[n], s = suffix + n * r
      for c in 0 ..< r {
        out[c] += prefix[c] * s[c]
        prefix[c] *= a[c]
      }
    }
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
