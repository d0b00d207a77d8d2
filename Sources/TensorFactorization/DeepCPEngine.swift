import DeepFactorization

/// Loss and gradient of a deep CP factorization (``DeepCPShape``) by the chain rule through the CP
/// engine: the effective factors w_rⁿ = c_rⁿ v_rⁿ, c_rⁿ = Π_l s_{r,l}ⁿ, go through ``CPEngine``, and
/// ∂ℓ/∂v_rⁿ = c_rⁿ ∂ℓ/∂w_rⁿ, ∂ℓ/∂s_{r,l}ⁿ = ⟨∂ℓ/∂w_rⁿ, v_rⁿ⟩ Π_{l′≠l} s_{r,l′}ⁿ (no division).
/// The effective parameters and their gradient live in preallocated buffers: nothing is allocated
/// per call.
public final class DeepCPEngine {
  /// The shape.
  public let shape: DeepCPShape
  /// The engine of the effective CP factorization.
  public let cp: CPEngine
  private var effective: [Double]
  private var effectiveGradient: [Double]

  /// An engine for `shape` on `objective` (its dimensions must be the target's).
  public init(shape: DeepCPShape, objective: TensorObjective) {
    self.shape = shape
    cp = CPEngine(shape: shape.cp, objective: objective)
    effective = [Double](repeating: 0, count: shape.cp.parameterCount)
    effectiveGradient = [Double](repeating: 0, count: shape.cp.parameterCount)
  }

  /// The scale c_rⁿ = Π_l s_{r,l}ⁿ of component r's mode-n vector.
  @inline(__always)
  private func scale(_ parameters: UnsafePointer<Double>, mode n: Int, component r: Int, skipping skipped: Int = -1) -> Double {
    var c = 1.0
    for l in 0 ..< shape.depth - 1 where l != skipped { c *= parameters[shape.scalarOffset(mode: n, layer: l) + r] }
    return c
  }

  /// Writes the effective CP factors of `parameters` into `out` (``CPShape/parameterCount`` entries).
  private func writeEffective(_ parameters: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
    let cpShape = shape.cp, r = cpShape.components
    for n in 0 ..< cpShape.order {
      let start = cpShape.offset(ofMode: n)
      for c in 0 ..< r {
        let s = scale(parameters, mode: n, component: c)
        for i in 0 ..< cpShape.dimensions[n] { out[start + i * r + c] = s * parameters[start + i * r + c] }
      }
    }
  }

  /// The loss at `parameters`; with `gradient`, also ∇ℓ written there (``DeepCPShape/parameterCount`` entries).
  @discardableResult
  public func loss(at parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>?) -> Double {
    effective.withUnsafeMutableBufferPointer { w in
      effectiveGradient.withUnsafeMutableBufferPointer { g in
        writeEffective(parameters, into: w.baseAddress!)
        guard let gradient else { return cp.loss(at: w.baseAddress!, gradient: nil) }
        let loss = cp.loss(at: w.baseAddress!, gradient: g.baseAddress!)
        let cpShape = shape.cp, r = cpShape.components
        for n in 0 ..< cpShape.order {
          let start = cpShape.offset(ofMode: n)
          for c in 0 ..< r {
            let s = scale(parameters, mode: n, component: c)
            var inner = 0.0
            for i in 0 ..< cpShape.dimensions[n] {
              let k = start + i * r + c
              inner += g[k] * parameters[k]
              gradient[k] = s * g[k]
            }
            for l in 0 ..< shape.depth - 1 {
              gradient[shape.scalarOffset(mode: n, layer: l) + c] = inner * scale(parameters, mode: n, component: c, skipping: l)
            }
          }
        }
        return loss
      }
    }
  }

  /// The effective CP factors (allocates: for records and checks, not steps).
  public func effectiveParameters(_ parameters: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: shape.cp.parameterCount)
    parameters.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { writeEffective(p.baseAddress!, into: $0.baseAddress!) } }
    return out
  }

  /// ‖W_r‖ for every component r.
  public func componentNorms(at parameters: [Double]) -> [Double] {
    cp.componentNorms(at: effectiveParameters(parameters))
  }

  /// The norms of component r's K = N·L weights: its N vectors ‖v_rⁿ‖, then its scalars |s_{r,l}ⁿ|
  /// mode by mode.
  public func weightNorms(at parameters: [Double], component c: Int) -> [Double] {
    let vectors = cp.factorNorms(at: parameters, component: c)
    let scalars = (0 ..< shape.cp.order).flatMap { n in (0 ..< shape.depth - 1).map { l in abs(parameters[shape.scalarOffset(mode: n, layer: l) + c]) } }
    return vectors + scalars
  }
}

extension DeepCPEngine: GradientEvaluator {
  /// The loss and gradient for the steppers (no workspace).
  package func evaluate(parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>) -> Double {
    loss(at: parameters, gradient: gradients)
  }
}
