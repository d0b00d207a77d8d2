/// How far a ``Stepper`` may go before it hands control back to the ``TrainingDriver``: a step count
/// and a flow time, whichever is reached first.
package struct Horizon {
  /// Stop once this many steps have been taken.
  package var steps: Int
  /// Stop once the flow time reaches this (landing on it exactly); ignored by steppers without a clock.
  package var time: Double
}

/// What advances a training run — descent by an optimizer (with the evaluator's own in-register loop
/// where it has one) or Dormand–Prince gradient flow, for matrices and tensors alike. A stepper only
/// advances: the ``TrainingDriver`` decides when to stop and when to record.
package protocol Stepper {
  /// What it advances.
  associatedtype State: RunState
  /// The run being advanced (its parameters, gradient and recorded trajectory).
  var state: State { get set }
  /// Steps taken: optimizer updates, or accepted integrator steps.
  var steps: Int { get }
  /// The flow time, or nil for a stepper without a clock (descent).
  var time: Double? { get }
  /// The loss at the current state.
  var loss: Double { get }
  /// Advances until ``steps`` reaches `horizon.steps` or the time reaches `horizon.time`, or until a
  /// step's loss ends the run under `limits` (then returns why; the integrator also reports
  /// ``TrainingStatus/stalled`` and a divergence it cannot step around). Returns nil on reaching the
  /// horizon; taking no step when already there.
  mutating func advance(to horizon: Horizon, limits: StepLimits) -> TrainingStatus?
  /// Records the current state (the run's own trajectory and observers).
  mutating func record()
}

extension Stepper {
  /// Records the current state in the run, at the stepper's steps and time with its loss.
  package mutating func record() {
    state.record(step: steps, time: time, loss: loss)
  }
}
