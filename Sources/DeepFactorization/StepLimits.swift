/// The per-step stop test of a descent loop: the loss left the divergence ceiling (or is NaN), or fell
/// below the stop rule's threshold. Every descent loop asks it, so that they stop at the same step.
package struct StepLimits {
  /// Trainer.divergenceFactor times the initial loss (∞ when that loss is 0).
  package let ceiling: Double
  /// The stop rule's `lossBelow`, or −∞.
  package let threshold: Double

  /// Why a run stops after a step with this loss, or nil to go on.
  @inline(__always)
  package func status(after loss: Double) -> TrainingStatus? {
    if !(loss <= ceiling) { return .diverged }  // also catches NaN
    if loss < threshold { return .converged }
    return nil
  }
}
