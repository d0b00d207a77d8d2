import DeepFactorization
import LinearAlgebra
import Testing

/// The one training loop's rules, on a scripted stepper (losses given step by step) and on the
/// steppers it drives.
struct TrainingDriverTests {
  /// A run with no parameters that keeps the steps it records.
  struct StepLog: RunState {
    var parameters: [Double] = [], gradients: [Double] = [], workspace: [Double] = []
    var recorded: [Int] = []
    mutating func record(step: Int, time: Double?, loss: Double) { recorded.append(step) }
  }

  /// A stepper without a clock whose loss after step t is `losses[t − 1]` (the last one repeats).
  struct Scripted: Stepper {
    var state = StepLog()
    let losses: [Double]
    var steps = 0
    var loss: Double
    var time: Double? { nil }

    mutating func advance(to horizon: Horizon, limits: StepLimits) -> TrainingStatus? {
      while steps < horizon.steps {
        steps += 1
        loss = losses[Swift.min(steps, losses.count) - 1]
        if let status = limits.status(after: loss) { return status }
      }
      return nil
    }
  }

  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let initial: Double
    let losses: [Double]
    let stop: StopRule
    let every: Int
    let status: TrainingStatus
    let recorded: [Int]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "record points and the step limit", initial: 1, losses: [1], stop: StopRule(maxSteps: 250), every: 100, status: .maxSteps, recorded: [0, 100, 200, 250]),
    Case(name: "converged between record points", initial: 1, losses: Array(repeating: 1, count: 149) + [0.01], stop: StopRule(maxSteps: 1000, lossBelow: 0.1), every: 100, status: .converged, recorded: [0, 100, 150]),
    Case(name: "converged on the last step: the loss wins", initial: 1, losses: Array(repeating: 1, count: 199) + [0.01], stop: StopRule(maxSteps: 200, lossBelow: 0.1), every: 100, status: .converged, recorded: [0, 100, 200]),
    Case(name: "NaN is divergence", initial: 1, losses: Array(repeating: 1, count: 29) + [.nan], stop: StopRule(maxSteps: 1000), every: 100, status: .diverged, recorded: [0, 30]),
    Case(name: "past 1e12 times the initial loss is divergence", initial: 2, losses: [1, 2e12, 2.1e12], stop: StopRule(maxSteps: 1000), every: 100, status: .diverged, recorded: [0, 3]),
    Case(name: "an initial loss below the threshold ends the run at once", initial: 0.01, losses: [1], stop: StopRule(maxSteps: 10, lossBelow: 0.1), every: 1, status: .converged, recorded: [0]),
    Case(name: "no step allowed: the initial state is the final one", initial: 1, losses: [1], stop: StopRule(maxSteps: 0), every: 5, status: .maxSteps, recorded: [0, 0]),
  ]

  @Test(arguments: cases)
  func theDriverStopsAndRecordsByOneRule(_ c: Case) {
    var stepper = Scripted(losses: c.losses, loss: c.initial)
    let status = TrainingDriver(stop: c.stop, schedule: .everySteps(c.every)).run(&stepper)
    #expect(status == c.status)
    #expect(stepper.state.recorded == c.recorded)
  }

  struct FlowCase: Sendable, CustomTestStringConvertible {
    let name: String
    let stop: StopRule
    let recording: RecordingSchedule
    let status: TrainingStatus
    let steps: [Int]?
    let times: [Double]?
    var testDescription: String { name }
  }

  static let flowCases: [FlowCase] = [
    FlowCase(name: "by accepted steps", stop: StopRule(maxSteps: 20), recording: .everySteps(6), status: .maxSteps, steps: [0, 6, 12, 18, 20], times: nil),
    FlowCase(name: "landing on every record time and the time limit", stop: StopRule(maxTime: 2.5), recording: .everyTime(0.5), status: .maxTime, steps: nil, times: [0, 0.5, 1, 1.5, 2, 2.5]),
  ]

  /// Gradient flow records by accepted steps or by time; a time schedule lands on its times exactly.
  @Test(arguments: flowCases)
  func gradientFlowRecordsByEitherClock(_ c: FlowCase) throws {
    let result = try Trainer.train(Problems.razinCohen(
      depth: 3, initialization: .identity(scale: 0.1), method: .gradientFlow(relativeTolerance: 1e-8), stop: c.stop, recording: c.recording))
    #expect(result.status == c.status)
    if let steps = c.steps { #expect(result.trajectory.map(\.step) == steps) }
    let times = result.trajectory.compactMap(\.time)
    #expect(times.count == result.trajectory.count && zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
    if let expected = c.times { #expect(times == expected) }
  }

  @Test func aProblemFileNumberIsReadInTheMethodsUnit() {
    let gd = TrainingMethod.descent(.gradientDescent(GradientDescent(learningRate: 0.1)))
    #expect(RecordingSchedule(every: 99.6, for: gd) == .everySteps(100))
    #expect(RecordingSchedule(every: 0.2, for: gd) == .everySteps(1))
    #expect(RecordingSchedule(every: 0.25, for: .gradientFlow()) == .everyTime(0.25))
    #expect(RecordingSchedule(every: 0, for: .gradientFlow()) == .everyTime(.infinity))
  }
}
