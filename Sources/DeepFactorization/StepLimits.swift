/// The per-step stop test of every training loop — descent and gradient flow, matrices and tensors:
/// the loss left the divergence ceiling (or is NaN or infinite), or fell below the stop rule's
/// threshold. Every loop asks it, so that they stop at the same step by the same rule.
package struct StepLimits {
  /// A run whose loss grows past this factor times its initial loss has diverged.
  package static let divergenceFactor = 1e12
  /// ``divergenceFactor`` times the initial loss (the largest finite double when that loss is 0).
  package let ceiling: Double
  /// The stop rule's `lossBelow`, or −∞.
  package let threshold: Double

  /// The limits of a run that starts at `initialLoss` and stops as converged below `lossBelow`.
  package init(initialLoss: Double, lossBelow: Double?) {
    ceiling = initialLoss > 0 ? Self.divergenceFactor * initialLoss : Double.greatestFiniteMagnitude
    threshold = lossBelow ?? -Double.infinity
  }

  /// Why a run stops after a step with this loss, or nil to go on.
  @inline(__always)
  package func status(after loss: Double) -> TrainingStatus? {
    if !(loss <= ceiling) { return .diverged }  // also catches NaN
    if loss < threshold { return .converged }
    return nil
  }
}
