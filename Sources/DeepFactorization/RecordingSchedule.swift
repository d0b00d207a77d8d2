/// When a run records its state, besides its first and its last state (which are always recorded).
///
/// Descent counts steps; gradient flow has a clock and may record by either. A problem file's
/// `recordEvery` number is read in the method's own unit (``init(every:for:)``).
public enum RecordingSchedule: Sendable, Equatable {
  /// After every k-th step (k ≥ 1): steps k, 2k, 3k, … (accepted integrator steps for gradient flow).
  case everySteps(Int)
  /// At flow times t, 2t, 3t, … (t > 0; gradient flow only: the integrator lands on each exactly).
  /// `.infinity` records the first and last state only.
  case everyTime(Double)

  /// A problem file's `recordEvery` in the method's unit: whole steps (at least 1) for descent, flow
  /// time for gradient flow (a value ≤ 0 records the ends only).
  public init(every: Double, for method: TrainingMethod) {
    self = method.isGradientFlow ? .everyTime(every > 0 ? every : .infinity) : .everySteps(Swift.max(1, Int(every.rounded())))
  }

  /// The problem file's `recordEvery` for this schedule under `method`, the inverse of
  /// ``init(every:for:)``; nil where a file cannot say it (a file records descent by steps and
  /// gradient flow by a finite time).
  public func fileValue(for method: TrainingMethod) -> Double? {
    switch self {
    case .everySteps(let steps): method.isGradientFlow ? nil : Double(steps)
    case .everyTime(let time): method.isGradientFlow && time.isFinite ? time : nil
    }
  }

  /// The schedule's period in its own unit (steps or time).
  public var every: Double {
    switch self {
    case .everySteps(let steps): Double(steps)
    case .everyTime(let time): time
    }
  }

  /// Whether the schedule counts flow time (only gradient flow has a clock).
  public var isTimed: Bool {
    if case .everyTime = self { true } else { false }
  }
}
