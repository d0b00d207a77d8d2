import DeepFactorization
import Foundation
import LinearAlgebra
import Problems

/// A fixed set of seeded training runs across objectives, depths and optimizers, whose outcomes are
/// kept in `Fixtures/baselines/` so that a change to an optimizer or to the engine shows up as drift
/// (`dmf regress`, and a quick subset in `swift test`).
public enum Regression {
  /// One baseline run.
  public struct Case: Sendable {
    /// A stable name (the baseline's file name).
    public let name: String
    /// Part of the quick subset run by `swift test`.
    public let quick: Bool
    let problem: @Sendable () throws -> TrainingProblem
    /// Reference singular values for stage times, if the case measures them.
    let stages: [Double]?
  }

  /// Metric values of one run, by name.
  public typealias Metrics = [String: Double]

  /// All cases, in a fixed order.
  public static let cases: [Case] = {
    @Sendable func completion(seed: UInt64) throws -> ProblemInstance {
      try CompletionDistribution(rows: 8 ... 8, rank: 2 ... 2, observations: .oversampling(2 ... 2)).gen.sample(seed: seed)
    }
    @Sendable func trainer(_ instance: ProblemInstance, depth: Int, _ method: TrainingMethod, steps: Int, loss: LossReduction = .mean, initialization: Initialization = .gaussian(scale: 1e-2, seed: 1)) -> TrainingProblem {
      TrainingProblem(
        target: instance.target, observations: instance.observations, depth: depth, initialization: initialization,
        loss: loss, method: method, stop: StopRule(maxSteps: steps), recordEvery: Double(steps))
    }
    return [
      Case(name: "completion-gd-depth3", quick: true, problem: { trainer(try completion(seed: 1), depth: 3, .descent(GradientDescent(learningRate: 0.5)), steps: 3000) }, stages: nil),
      Case(name: "completion-adam-depth3", quick: true, problem: { trainer(try completion(seed: 2), depth: 3, .descent(Adam(learningRate: 0.01)), steps: 2000) }, stages: nil),
      Case(name: "completion-rmsprop-depth2", quick: false, problem: { trainer(try completion(seed: 3), depth: 2, .descent(RMSprop(learningRate: 0.003)), steps: 2000) }, stages: nil),
      Case(name: "completion-group-rmsprop-depth4", quick: false, problem: { trainer(try completion(seed: 4), depth: 4, .descent(GroupRMSprop(learningRate: 0.01)), steps: 3000) }, stages: nil),
      Case(name: "sensing-momentum-depth2", quick: false, problem: {
        let instance = try CompletionDistribution(rows: 6 ... 6, rank: 1 ... 1, observations: .sensing(oversampling: 3 ... 3, variant: .gaussian)).gen.sample(seed: 5)
        return trainer(instance, depth: 2, .descent(Momentum(learningRate: 0.05)), steps: 2000, loss: .halfSum)
      }, stages: nil),
      Case(name: "full-gd-depth3-stages", quick: true, problem: {
        let target = Targets.lowRank(rows: 10, columns: 10, singularValues: [10, 5, 2.5], seedU: 1, seedV: 2)
        return TrainingProblem(
          target: target, observations: .all, depth: 3, initialization: .gaussian(scale: 1e-4, seed: 1), loss: .halfSum,
          method: .descent(GradientDescent(learningRate: 0.01)), stop: StopRule(maxSteps: 3000), recordEvery: 5)
      }, stages: [10, 5, 2.5]),
      Case(name: "razin-cohen-gd-depth3", quick: false, problem: {
        TrainingProblem(
          target: PaperFixtures.razinCohen2x2.target, observations: PaperFixtures.razinCohen2x2.observations, depth: 3,
          initialization: .balanced(scale: 1e-2, seed: 3, determinant: .positive), loss: .halfSum,
          method: .descent(GradientDescent(learningRate: 0.02)), stop: StopRule(maxSteps: 200_000, lossBelow: 1e-3), recordEvery: 1000)
      }, stages: nil),
      Case(name: "razin-cohen-flow-depth2", quick: false, problem: {
        TrainingProblem(
          target: PaperFixtures.razinCohen2x2.target, observations: PaperFixtures.razinCohen2x2.observations, depth: 2,
          initialization: .balanced(scale: 1e-2, seed: 3, determinant: .positive), loss: .halfSum,
          method: .gradientFlow(relativeTolerance: 1e-8), stop: StopRule(maxTime: 200), recordEvery: 50)
      }, stages: nil),
    ]
  }()

  /// Runs a case and measures it: status, steps, final loss, top singular values, effective rank, stage times.
  public static func measure(_ c: Case) throws -> Metrics {
    let result = try Trainer.train(try c.problem())
    var metrics: Metrics = ["steps": Double(result.steps), "loss": result.loss, "diverged": result.status == .diverged ? 1 : 0]
    let sigma = (try? result.product.singularValues()) ?? []
    for (i, value) in sigma.prefix(3).enumerated() { metrics["sigma\(i + 1)"] = value }
    metrics["effectiveRank"] = SpectralFunctions.effectiveRank(sigma)
    if let time = result.time { metrics["time"] = time }
    if let reference = c.stages {
      for (i, moment) in IncrementalLearning(trajectory: result.trajectory, reference: reference, separation: 1.1).learnedAt.enumerated() {
        metrics["stage\(i + 1)"] = moment ?? -1
      }
    }
    return metrics
  }

  /// The tolerance a metric is compared with: |now − baseline| ≤ relative·|baseline| + absolute.
  public static func tolerance(_ metric: String) -> (relative: Double, absolute: Double) {
    switch metric {
    case "steps", "diverged": (0, 0)
    case _ where metric.hasPrefix("stage"): (0, 5)  // one record (every 5 steps)
    case "loss": (1e-6, 1e-12)
    default: (1e-8, 1e-12)
    }
  }

  /// The baselines' directory, `Fixtures/baselines` next to this source tree.
  public static let directory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/baselines").path

  /// Reads a case's baseline, or says what is wrong with the file.
  public static func baseline(_ name: String, in directory: String = directory) throws -> Metrics {
    let path = directory + "/" + name + ".json"
    guard let data = FileManager.default.contents(atPath: path) else { throw RegressionError(message: "missing baseline \(path) (create it with dmf regress --update)") }
    guard let metrics = try? JSONDecoder().decode(Metrics.self, from: data) else { throw RegressionError(message: "corrupt baseline \(path): not a JSON object of numbers") }
    return metrics
  }

  /// Writes a case's baseline (sorted keys: stable bytes).
  public static func write(_ metrics: Metrics, for name: String, in directory: String = directory) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try (encoder.encode(metrics) + Data("\n".utf8)).write(to: URL(fileURLWithPath: directory + "/" + name + ".json"))
  }

  /// One metric's comparison.
  public struct Difference: Sendable {
    /// The case.
    public var name: String
    /// The metric.
    public var metric: String
    /// The stored value (nil: new metric).
    public var baseline: Double?
    /// The value now (nil: metric gone).
    public var now: Double?
    /// Whether it is within tolerance.
    public var withinTolerance: Bool
  }

  /// Compares metrics with a baseline, metric by metric (sorted by name).
  public static func compare(_ now: Metrics, with baseline: Metrics, name: String) -> [Difference] {
    Set(now.keys).union(baseline.keys).sorted().map { metric in
      let (relative, absolute) = tolerance(metric)
      let ok: Bool
      if let a = now[metric], let b = baseline[metric] { ok = abs(a - b) <= relative * abs(b) + absolute } else { ok = false }
      return Difference(name: name, metric: metric, baseline: baseline[metric], now: now[metric], withinTolerance: ok)
    }
  }
}

/// A baseline file is missing or corrupt.
public struct RegressionError: Error, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// The message.
  public var description: String { message }
}
