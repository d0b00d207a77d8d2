/// The one training loop: it owns the stop rule, the divergence rule (``StepLimits``) and the
/// recording schedule, and asks a ``Stepper`` to advance from one record point to the next. Every
/// trainer — descent and gradient flow, matrices and tensors — runs through it, so they record at
/// the same points and stop at the same step by the same rules.
package struct TrainingDriver {
  /// When the run stops (`maxSteps`, `maxTime` for steppers with a clock, `lossBelow`).
  package let stop: StopRule
  /// When it records, besides its first and last state.
  package let schedule: RecordingSchedule

  package init(stop: StopRule, schedule: RecordingSchedule) {
    self.stop = stop
    self.schedule = schedule
  }

  /// Runs `stepper` from its initial state to the end, and says why it ended.
  ///
  /// The initial state is recorded, and is the end if its loss already stops the run. Then the
  /// stepper advances to each record point (recorded), to the step or time limit, or until a loss
  /// stops it: a loss that is not finite or exceeds ``StepLimits/divergenceFactor`` × the initial
  /// loss (diverged), or falls below `lossBelow` (converged), whichever comes first; ties go to the
  /// loss, then to the time limit, then to the step limit. The final state is always recorded (a
  /// second time when the run ended without a step since the last record: a `maxSteps` of 0, or an
  /// integrator that stalled or diverged at once).
  package func run<S: Stepper>(_ stepper: inout S) -> TrainingStatus {
    precondition(
      !schedule.isTimed || stepper.time != nil, "a run without a clock (descent) records by steps: use .everySteps, not \(schedule)")
    let limits = StepLimits(initialLoss: stepper.loss, lossBelow: stop.lossBelow)
    stepper.record()
    if let status = limits.status(after: stepper.loss) { return status }
    let maxSteps = stop.maxSteps ?? Int.max
    let maxTime = stepper.time == nil ? Double.infinity : stop.maxTime ?? .infinity
    var nextStep = Int.max, nextTime = Double.infinity
    switch schedule {
    case .everySteps(let k):
      precondition(k >= 1, "a recording schedule needs at least 1 step between records, got \(k)")
      nextStep = k
    case .everyTime(let t):
      precondition(t > 0, "a recording schedule needs a positive time between records, got \(t)")
      nextTime = t
    }
    var status: TrainingStatus?
    while status == nil {
      status = stepper.advance(to: Horizon(steps: Swift.min(maxSteps, nextStep), time: Swift.min(nextTime, maxTime)), limits: limits)
      if status == nil, let time = stepper.time, time >= maxTime { status = .maxTime }
      if status == nil, stepper.steps >= maxSteps { status = .maxSteps }
      guard status == nil else { break }
      if stepper.steps >= nextStep || (stepper.time ?? -.infinity) >= nextTime {
        stepper.record()
        switch schedule {
        case .everySteps(let k): nextStep = (stepper.steps / k + 1) * k
        case .everyTime(let t): nextTime += t
        }
      }
    }
    stepper.record()
    return status!
  }
}
