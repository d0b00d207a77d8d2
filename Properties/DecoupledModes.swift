import ClaimKit

/// The setting Saxe et al. 2014 and Gidel et al. 2019 share: a diagonal target S = diag(s) (whitened
/// inputs, loss ½‖S − W₂W₁‖_F²) and a two-layer network started from the product u₀·I, split as
/// W₁ = ρ√u₀·I, W₂ = √u₀/ρ·I. With ρ = 1 (decoupled and balanced) each mode u_i = W_ii evolves alone
/// by a scalar equation; ρ ≠ 1 conserves W₂ᵀW₂ − W₁W₁ᵀ = (1/ρ² − ρ²)u₀·I ≠ 0 and changes it.
struct DecoupledModes: Sendable, CustomStringConvertible {
  /// The strengths s, largest first.
  var strengths: [Double]
  /// u₀.
  var productInit: Double
  /// ρ (1: balanced).
  var imbalance = 1.0

  var description: String {
    "S = diag(\(strengths.map { format($0) }.joined(separator: ", "))), u₀ = \(format(productInit))"
      + (imbalance == 1 ? ", balanced" : ", W₁ = \(format(imbalance))√u₀·I, W₂ = √u₀/\(format(imbalance))·I")
  }

  /// The training problem of these modes.
  func problem(_ method: TrainingMethod, stop: StopRule, recording: RecordingSchedule) -> TrainingProblem {
    let n = strengths.count
    let first = Matrix.diagonal([Double](repeating: imbalance * productInit.squareRoot(), count: n))
    let second = Matrix.diagonal([Double](repeating: productInit.squareRoot() / imbalance, count: n))
    return TrainingProblem(
      target: Matrix.diagonal(strengths), observations: .all, depth: 2, initialization: .factors([first, second]),
      loss: .halfSum, method: method, stop: stop, recording: recording)
  }

  /// The same modes from the unbalanced split ρ.
  func unbalanced(_ rho: Double) -> DecoupledModes {
    var modes = self
    modes.imbalance = rho
    return modes
  }
}
