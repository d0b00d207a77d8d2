public import DeepFactorization
import TensorFactorization
import Foundation
import LinearAlgebra
import Problems
import PropertyTesting

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
    let run: Run
    /// Reference singular values for stage times, if the case measures them.
    let stages: [Double]?

    /// What a case trains: a deep matrix factorization or a CP tensor factorization.
    enum Run: Sendable {
      case matrix(@Sendable () throws -> TrainingProblem)
      case tensor(@Sendable () throws -> CPProblem)
    }

    /// A matrix case.
    init(name: String, quick: Bool, problem: @escaping @Sendable () throws -> TrainingProblem, stages: [Double]?) {
      (self.name, self.quick, self.run, self.stages) = (name, quick, .matrix(problem), stages)
    }

    /// A CP tensor case.
    init(name: String, quick: Bool, tensor: @escaping @Sendable () throws -> CPProblem) {
      (self.name, self.quick, self.run, self.stages) = (name, quick, .tensor(tensor), nil)
    }

    /// The matrix problem of a matrix case.
    func problem() throws -> TrainingProblem {
      guard case .matrix(let problem) = run else { throw RegressionError(message: "\(name) is a CP tensor case") }
      return try problem()
    }

    /// The optimizer (or gradient flow) the case trains with.
    public func method() throws -> TrainingMethod {
      switch run {
      case .matrix(let problem): try problem().method
      case .tensor(let problem): try problem().method
      }
    }
  }

  /// Metric values of one run, by name.
  public typealias Metrics = [String: Double]

  /// All cases, in a fixed order.
  ///
  /// Run lengths stop before rounding takes over: RMSprop and GroupRMSprop near a minimum take
  /// sign-like steps whose outcome a 1e-12 change of the init moves by percents (RMSprop at 2000 steps:
  /// σ₂ by 2.6 %, the loss by 56 %; at 500 steps, by 1e-12 and 1e-10), and the depth-2 flow's σ₂ decays
  /// to the integrator's resolution.
  public static let cases: [Case] = {
    @Sendable func completion(seed: UInt64) throws -> ProblemInstance {
      try CompletionDistribution(rows: 8 ... 8, rank: 2 ... 2, observations: .oversampling(2 ... 2)).gen.sample(seed: seed)
    }
    @Sendable func trainer(_ instance: ProblemInstance, depth: Int, _ method: TrainingMethod, steps: Int, loss: LossReduction = .mean, initialization: Initialization = .gaussian(scale: 1e-2, seed: 1)) -> TrainingProblem {
      TrainingProblem(
        target: instance.target, observations: instance.observations, depth: depth, initialization: initialization,
        loss: loss, method: method, stop: StopRule(maxSteps: steps), recording: .everySteps(steps))
    }
    return [
      Case(name: "completion-gd-depth3", quick: true, problem: { trainer(try completion(seed: 1), depth: 3, .descent(.gradientDescent(GradientDescent(learningRate: 0.5))), steps: 3000) }, stages: nil),
      Case(name: "completion-adam-depth3", quick: true, problem: { trainer(try completion(seed: 2), depth: 3, .descent(.adam(Adam(learningRate: 0.01))), steps: 2000) }, stages: nil),
      Case(name: "completion-rmsprop-depth2", quick: false, problem: { trainer(try completion(seed: 3), depth: 2, .descent(.rmsprop(RMSprop(learningRate: 0.003))), steps: 500) }, stages: nil),
      Case(name: "completion-group-rmsprop-depth4", quick: true, problem: { trainer(try completion(seed: 4), depth: 4, .descent(.groupRMSprop(GroupRMSprop(learningRate: 0.01))), steps: 500) }, stages: nil),
      Case(name: "tensor-group-rmsprop-order3", quick: true, tensor: {
        // Razin & Cohen's tensor completion in small: a rank-2 4×4×4 target, half its entries,
        // R = 8 from a small Gaussian start, by the tensor code's optimizer.
        let target = Tensor.randomLowRank(dimensions: [4, 4, 4], rank: 2, seed: 6)
        let shape = CPShape(dimensions: [4, 4, 4], components: 8)
        return CPProblem(
          shape: shape, objective: TensorObjective(target: target, observed: (0 ..< 64).filter { ($0 * 37 + 11) % 64 < 32 }, reduction: .mean),
          initialization: .gaussian(std: 0.05, seed: 6), optimizer: .groupRMSprop(GroupRMSprop(learningRate: 0.01, epsilon: 1e-6)),
          stop: StopRule(maxSteps: 500), recording: .everySteps(500))
      }),
      Case(name: "sensing-momentum-depth2", quick: false, problem: {
        let instance = try CompletionDistribution(rows: 6 ... 6, rank: 1 ... 1, observations: .sensing(oversampling: 3 ... 3, variant: .gaussian)).gen.sample(seed: 5)
        return trainer(instance, depth: 2, .descent(.momentum(Momentum(learningRate: 0.05))), steps: 2000, loss: .halfSum)
      }, stages: nil),
      Case(name: "full-gd-depth3-stages", quick: true, problem: {
        let target = Targets.lowRank(rows: 10, columns: 10, singularValues: [10, 5, 2.5], seedU: 1, seedV: 2)
        return TrainingProblem(
          target: target, observations: .all, depth: 3, initialization: .gaussian(scale: 1e-4, seed: 1), loss: .halfSum,
          method: .descent(.gradientDescent(GradientDescent(learningRate: 0.01))), stop: StopRule(maxSteps: 3000), recording: .everySteps(5))
      }, stages: [10, 5, 2.5]),
      Case(name: "razin-cohen-gd-depth3", quick: false, problem: {
        TrainingProblem(
          target: PaperFixtures.razinCohen2x2.target, observations: PaperFixtures.razinCohen2x2.observations, depth: 3,
          initialization: .balanced(scale: 1e-2, seed: 3, determinant: .positive), loss: .halfSum,
          method: .descent(.gradientDescent(GradientDescent(learningRate: 0.02))), stop: StopRule(maxSteps: 200_000, lossBelow: 1e-3), recording: .everySteps(1000))
      }, stages: nil),
      Case(name: "razin-cohen-flow-depth2", quick: false, problem: {
        TrainingProblem(
          target: PaperFixtures.razinCohen2x2.target, observations: PaperFixtures.razinCohen2x2.observations, depth: 2,
          initialization: .balanced(scale: 1e-2, seed: 3, determinant: .positive), loss: .halfSum,
          method: .gradientFlow(relativeTolerance: 1e-8), stop: StopRule(maxTime: 40), recording: .everyTime(10))
      }, stages: nil),
    ]
  }()

  /// Runs a case and measures it: status, steps, final loss, top singular values, effective rank,
  /// stage times; with `perturbation`, from initial factors perturbed at rounding level.
  public static func measure(_ c: Case, perturbation: InitialPerturbation? = nil) throws -> Metrics {
    switch c.run {
    case .matrix(let make):
      var problem = try make()
      problem.perturbation = perturbation
      return metrics(of: try Trainer.train(problem), stages: c.stages)
    case .tensor(let make):
      var problem = try make()
      problem.perturbation = perturbation
      return metrics(of: CPTrainer.train(problem))
    }
  }

  /// A CP run's metrics: status, steps, final loss, reconstruction error and the three largest
  /// component norms.
  static func metrics(of result: CPTrainingResult) -> Metrics {
    var metrics: Metrics = ["steps": Double(result.steps), "loss": result.loss, "diverged": result.status == .diverged ? 1 : 0]
    if let last = result.trajectory.last {
      metrics["reconstructionError"] = last.reconstructionError
      for (i, value) in last.componentNorms.prefix(3).enumerated() { metrics["componentNorm\(i + 1)"] = value }
    }
    return metrics
  }

  /// A run's metrics: status, steps, final loss, top singular values, effective rank, and the
  /// moments the product's singular values reach `stages` (when given).
  static func metrics(of result: TrainingResult, stages: [Double]?) -> Metrics {
    var metrics: Metrics = ["steps": Double(result.steps), "loss": result.loss, "diverged": result.status == .diverged ? 1 : 0]
    let sigma = (try? result.product.singularValues()) ?? []
    for (i, value) in sigma.prefix(3).enumerated() { metrics["sigma\(i + 1)"] = value }
    metrics["effectiveRank"] = SpectralFunctions.effectiveRank(sigma)
    if let time = result.time { metrics["time"] = time }
    if let reference = stages {
      for (i, moment) in IncrementalLearning(trajectory: result.trajectory, reference: reference, separation: 1.1).learnedAt.enumerated() {
        metrics["stage\(i + 1)"] = moment ?? -1
      }
    }
    return metrics
  }

  /// Perturbed runs a baseline's spread is measured over.
  public static let perturbedRuns = 4

  /// The floor of every tolerance, relative and absolute: what a compiler or kernel may change in a
  /// metric that no perturbation moves.
  static let floor = (relative: 1e-9, absolute: 1e-12)

  /// How far past the perturbed runs' spread a metric may move: the spread comes from a 1e-12 change
  /// of every initial parameter, about 10⁴ times what one kernel's rounding does at a step.
  static let spreadFactor = 10.0

  /// A metric whose tolerance would exceed this fraction of its value is not compared: rounding,
  /// not the optimizer, decides it.
  static let chaotic = 1e-4

  /// Measures a case and the spread of each metric under ``perturbedRuns`` rounding-level
  /// perturbations of its initialisation: the baseline `dmf regress --update` writes.
  ///
  /// A metric's tolerance is ``spreadFactor`` × its spread (at least ``floor``); one whose tolerance
  /// would exceed ``chaotic`` × |value| is dropped, with the reason, since no tolerance can separate an
  /// optimizer change from a kernel change there. Counts (`steps`, `diverged`) must match exactly
  /// unless a perturbation moves them.
  public static func record(_ c: Case, kernel: String) throws -> Baseline {
    let now = try measure(c)
    let perturbed = try (1 ... perturbedRuns).map { try measure(c, perturbation: InitialPerturbation(seed: UInt64($0))) }
    var baseline = Baseline(kernel: kernel, perturbation: InitialPerturbation.roundingLevel, perturbedRuns: perturbedRuns, metrics: [:], dropped: [:])
    for (metric, value) in now.sorted(by: { $0.key < $1.key }) {
      let spread = perturbed.map { abs(($0[metric] ?? .nan) - value) }.max() ?? 0
      let isCount = metric == "steps" || metric == "diverged"
      let tolerance = isCount ? spreadFactor * spread : Swift.max(floor.relative * abs(value) + floor.absolute, spreadFactor * spread)
      if !spread.isFinite || spreadFactor * spread > chaotic * abs(value) + floor.absolute {
        baseline.dropped[metric] = "moved by \(String(format: "%.3g", spread)) (\(String(format: "%.2g", 100 * spread / abs(value))) % of \(String(format: "%.6g", value))) when the initial factors were perturbed by a relative 1e-12: rounding decides it, so a kernel change would look like a regression"
      } else {
        baseline.metrics[metric] = Baseline.Entry(value: value, spread: spread, tolerance: tolerance)
      }
    }
    return baseline
  }

  /// The baselines' directory, `Fixtures/baselines` next to this source tree.
  public static let directory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/baselines").path

  /// Reads a case's baseline, or says what is wrong with the file.
  public static func baseline(_ name: String, in directory: String = directory) throws -> Baseline {
    let path = directory + "/" + name + ".json"
    guard let data = FileManager.default.contents(atPath: path) else { throw RegressionError(message: "missing baseline \(path) (create it with dmf regress --update)") }
    let baseline: Baseline
    do {
      baseline = try JSONDecoder().decode(Baseline.self, from: data)
    } catch {
      throw RegressionError(message: "corrupt baseline \(path): \(error) (dmf regress --update writes it anew)")
    }
    if let problem = baseline.problem { throw RegressionError(message: "corrupt baseline \(path): \(problem) (dmf regress --update writes it anew)") }
    return baseline
  }

  /// Writes a case's baseline (sorted keys: stable bytes).
  public static func write(_ baseline: Baseline, for name: String, in directory: String = directory) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try (encoder.encode(baseline) + Data("\n".utf8)).write(to: URL(fileURLWithPath: directory + "/" + name + ".json"))
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
    /// The largest difference the baseline allows.
    public var tolerance: Double
    /// Whether it is within tolerance.
    public var withinTolerance: Bool

    /// `completion-gd-depth3 loss: 5.02e-06 → 5.1e-06 (+1.5 %, tolerance ±0.0001 %)`.
    public var description: String {
      let before = baseline.map { String(format: "%.10g", $0) } ?? "—"
      let after = now.map { String(format: "%.10g", $0) } ?? "missing"
      guard let b = baseline, b != 0 else { return "\(name) \(metric): \(before) → \(after) (tolerance ±\(String(format: "%.3g", tolerance)))" }
      let change = now.map { String(format: "%+.3g %%", 100 * ($0 - b) / abs(b)) } ?? "missing"
      return "\(name) \(metric): \(before) → \(after) (\(change), tolerance ±\(String(format: "%.3g", 100 * tolerance / abs(b))) %)"
    }
  }

  /// Compares metrics with a baseline's kept metrics (sorted by name); dropped metrics are not compared.
  public static func compare(_ now: Metrics, with baseline: Baseline, name: String) -> [Difference] {
    baseline.metrics.keys.sorted().map { metric in
      let entry = baseline.metrics[metric]!
      let ok = now[metric].map { abs($0 - entry.value) <= entry.tolerance } ?? false
      return Difference(name: name, metric: metric, baseline: entry.value, now: now[metric], tolerance: entry.tolerance, withinTolerance: ok)
    }
  }
}

/// A regression case's stored outcome: each kept metric with the spread a rounding-level
/// perturbation gave it and the tolerance that follows, and the metrics left out as chaotic.
public struct Baseline: Sendable, Codable, Equatable {
  /// What makes the baseline unable to show a drift, or nil: it compares nothing, or a metric's
  /// value, spread or tolerance is not finite, or its tolerance is wider than ``Regression/record(_:kernel:)``
  /// ever keeps (1e-4 of the value): such a file would report "no drift" for any change.
  var problem: String? {
    guard !metrics.isEmpty else { return "\"metrics\" is empty: it compares nothing" }
    for (name, entry) in metrics.sorted(by: { $0.key < $1.key }) {
      guard entry.value.isFinite, entry.spread.isFinite, entry.spread >= 0, entry.tolerance.isFinite, entry.tolerance >= 0 else {
        return "metric \(name): value, spread and tolerance must be finite and the last two ≥ 0"
      }
      let widest = Regression.chaotic * abs(entry.value) + Regression.floor.absolute
      guard entry.tolerance <= widest * (1 + 1e-9) else {
        return "metric \(name): tolerance \(entry.tolerance) is wider than 1e-4 of its value \(entry.value), which no recorded baseline keeps"
      }
    }
    return nil
  }

  /// The OpenBLAS kernel it was recorded under.
  public var kernel: String
  /// The relative perturbation of the initial factors the spread was measured with.
  public var perturbation: Double
  /// How many perturbed runs.
  public var perturbedRuns: Int
  /// The compared metrics, by name.
  public var metrics: [String: Entry]
  /// Metrics not compared, with the reason.
  public var dropped: [String: String]

  /// One compared metric.
  public struct Entry: Sendable, Codable, Equatable {
    /// The unperturbed run's value.
    public var value: Double
    /// The largest change among the perturbed runs.
    public var spread: Double
    /// The largest change `dmf regress` accepts.
    public var tolerance: Double
  }
}

/// A baseline file is missing or corrupt.
public struct RegressionError: Error, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// The message.
  public var description: String { message }
}
