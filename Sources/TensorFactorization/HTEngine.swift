internal import LinearAlgebra

/// Loss and gradient of a hierarchical tensor factorization on a ``TensorObjective``, into preallocated
/// buffers.
///
/// A tree node's activation depends only on the indices of the modes it covers, so it is computed once
/// per distinct sub-index among the observed entries, not once per entry (at the code's default order 3,
/// dimension 16, 2048 observed entries: 256 and 16 distinct keys for the two level-1 nodes). Per layer:
/// the window's children are multiplied entrywise at each key (pooling), then each node's pooled rows go
/// through its weight matrix by one `dgemm`; the gradient runs the same way back (two `dgemm`s per node
/// and a scatter of the pooled products to the children's keys). Nothing is allocated per call.
public final class HTEngine {
  /// The factorization's shape.
  public let shape: HTShape
  /// The objective.
  public let objective: TensorObjective
  private let plan: HTPlan
  /// The observed values (completion), or the measurements yₖ = ⟨Aₖ, target⟩ (sensing).
  private let values: [Double]
  private let measurements: [Double]?
  private let scales: (loss: Double, gradient: Double)
  private var forward: [Double]
  private var backward: [Double]
  /// Sensing only: the m residuals.
  private var residuals: [Double]

  /// An engine for `shape` (its dimensions must be the target's) on `objective`.
  public init(shape: HTShape, objective: TensorObjective) {
    precondition(shape.dimensions == objective.target.dimensions, "the HT shape and the target differ in dimensions")
    self.shape = shape
    self.objective = objective
    let cp = CPShape(dimensions: shape.dimensions, components: 1)
    let entries = objective.observedIndices
    plan = HTPlan(shape: shape, entries: entries.map { cp.multiIndex($0) })
    measurements = objective.measurements
    if let measurements = objective.measurements {
      let size = objective.target.entries.count
      values = (0 ..< objective.residualCount).map { k in
        (0 ..< size).reduce(0) { $0 + measurements[k * size + $1] * objective.target.entries[$1] }
      }
      residuals = [Double](repeating: 0, count: objective.residualCount)
    } else {
      values = entries.map { objective.target.entries[$0] }
      residuals = []
    }
    scales = objective.scales
    forward = [Double](repeating: 0, count: plan.arenaSize)
    backward = [Double](repeating: 0, count: plan.arenaSize)
  }

  /// The loss at `parameters`; with `gradient`, also ∇ℓ written there (``HTShape/parameterCount`` entries).
  @discardableResult
  public func loss(at parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>?) -> Double {
    let plan = self.plan
    return forward.withUnsafeMutableBufferPointer { f in
      backward.withUnsafeMutableBufferPointer { b in
        residuals.withUnsafeMutableBufferPointer { residuals in
          let f = f.baseAddress!, b = b.baseAddress!
          plan.forward(parameters, f)
          let w = f + plan.valuesOffset, gw = b + plan.valuesOffset
          var sum = 0.0
          if let measurements {
            // W at every entry (the plan covers them all, in linear order), then the residuals.
            let size = plan.entryKeys.count, m = values.count
            measurements.withUnsafeBufferPointer { a in
              for k in 0 ..< m {
                var inner = 0.0
                let measurement = a.baseAddress! + k * size
                for i in 0 ..< size { inner += measurement[i] * w[plan.entryKeys[i]] }
                residuals[k] = inner - values[k]
                sum += residuals[k] * residuals[k]
              }
              guard gradient != nil else { return }
              for i in 0 ..< plan.rootKeys { gw[i] = 0 }
              for k in 0 ..< m {
                let g = scales.gradient * residuals[k], measurement = a.baseAddress! + k * size
                for i in 0 ..< size { gw[plan.entryKeys[i]] += g * measurement[i] }
              }
            }
          } else {
            if gradient != nil { for i in 0 ..< plan.rootKeys { gw[i] = 0 } }
            for (e, key) in plan.entryKeys.enumerated() {
              let residual = w[key] - values[e]
              sum += residual * residual
              if gradient != nil { gw[key] += scales.gradient * residual }
            }
          }
          if let gradient { plan.backward(parameters, f, b, gradient) }
          return scales.loss * sum
        }
      }
    }
  }

  /// The plan over every entry, in linear order: built on the first record, kept for the others.
  private lazy var everyEntry: HTPlan = {
    let cp = CPShape(dimensions: shape.dimensions, components: 1)
    return HTPlan(shape: shape, entries: (0 ..< shape.entryCount).map { cp.multiIndex($0) })
  }()

  /// The full tensor W at `parameters` (allocates: for records, not steps).
  public func tensor(at parameters: [Double]) -> Tensor {
    let all = everyEntry
    var arena = [Double](repeating: 0, count: all.arenaSize)
    var entries = [Double](repeating: 0, count: shape.entryCount)
    parameters.withUnsafeBufferPointer { p in
      arena.withUnsafeMutableBufferPointer { f in
        all.forward(p.baseAddress!, f.baseAddress!)
        for (e, key) in all.entryKeys.enumerated() { entries[e] = f[all.valuesOffset + key] }
      }
    }
    return Tensor(dimensions: shape.dimensions, entries: entries)
  }

  /// ‖W − target‖_F/‖target‖_F over every entry: the code's reconstruction error.
  public func reconstructionError(of w: Tensor) -> Double {
    var sum = 0.0
    for (a, b) in zip(w.entries, objective.target.entries) { sum += (a - b) * (a - b) }
    return sum.squareRoot() / objective.target.frobeniusNorm
  }
}

