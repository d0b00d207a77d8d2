import Foundation
import DeepFactorization
@testable import ClaimKit
@testable import Properties
import TensorFactorization
import Testing

/// Adam as it would be with its bias correction forgotten: m/(√v + ε) with the raw moments.
/// Not an ``OptimizerChoice``: it runs through `Trainer.train(_:using:)`, the seam for experiments.
struct AdamWithoutBiasCorrection: Optimizer {
  var learningRate: Double
  var firstMoment: [Double] = []
  var secondMoment: [Double] = []

  static func withDefaults(learningRate: Double) -> Self { Self(learningRate: learningRate) }
  static var hyperparameters: [Hyperparameter<Self>] { [Hyperparameter("learningRate", \.learningRate, .positive)] }

  mutating func prepare(layout: ParameterLayout) {
    firstMoment = [Double](repeating: 0, count: layout.count)
    secondMoment = [Double](repeating: 0, count: layout.count)
  }


  mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    for i in 0 ..< count {
      let g = gradients[i]
      firstMoment[i] = 0.9 * firstMoment[i] + 0.1 * g
      secondMoment[i] = 0.999 * secondMoment[i] + 0.001 * g * g
      parameters[i] -= learningRate * firstMoment[i] / (secondMoment[i].squareRoot() + 1e-8)
    }
  }
}

/// The quick subset of `dmf regress`: seeded runs must match `Fixtures/baselines/` within tolerance,
/// and the tolerances must be tight enough to see an optimizer change.
struct RegressionTests {
  static let quickCases = Regression.cases.filter(\.quick).map(\.name)

  @Test(arguments: quickCases)
  func matchesItsBaseline(name: String) throws {
    let c = try #require(Regression.cases.first { $0.name == name })
    let drifted = Regression.compare(try Regression.measure(c), with: try Regression.baseline(name), name: name).filter { !$0.withinTolerance }
    #expect(drifted.isEmpty, "drift: \(drifted.map(\.description).joined(separator: "; "))")
  }

  /// The drifted metrics of case `name` run with `method` instead of its own optimizer.
  func drift(of name: String, with method: TrainingMethod) throws -> [Regression.Difference] {
    let original = try #require(Regression.cases.first { $0.name == name })
    var modified = try original.problem()
    modified.method = method
    let problem = modified
    let changed = Regression.Case(name: name, quick: true, problem: { problem }, stages: nil)
    return Regression.compare(try Regression.measure(changed), with: try Regression.baseline(name), name: name).filter { !$0.withinTolerance }
  }

  @Test func aLearningRateChangedInTheFourthDigitIsCaught() throws {
    #expect(!(try drift(of: "completion-gd-depth3", with: .descent(.gradientDescent(GradientDescent(learningRate: 0.5001))))).isEmpty)
  }

  @Test func adamWithoutBiasCorrectionIsCaught() throws {
    let original = try #require(Regression.cases.first { $0.name == "completion-adam-depth3" })
    let result = try Trainer.train(try original.problem(), using: AdamWithoutBiasCorrection(learningRate: 0.01))
    let metrics = Regression.metrics(of: result, stages: original.stages)
    let drifted = Regression.compare(metrics, with: try Regression.baseline(original.name), name: original.name).filter { !$0.withinTolerance }
    #expect(!drifted.isEmpty)
  }

  @Test func groupRMSpropWithASmallerEpsilonIsCaught() throws {
    #expect(!(try drift(of: "completion-group-rmsprop-depth4", with: .descent(.groupRMSprop(GroupRMSprop(learningRate: 0.01, epsilon: 1e-6))))).isEmpty)
  }

  @Test func theCPCaseCatchesGroupRMSpropWithASmallerEpsilon() throws {
    let original = try #require(Regression.cases.first { $0.name == "tensor-group-rmsprop-order3" })
    #expect(original.quick)
    guard case .tensor(let make) = original.run else { Issue.record("not a CP case"); return }
    var problem = try make()
    problem.method = .descent(.groupRMSprop(GroupRMSprop(learningRate: 0.01, epsilon: 1e-7)))
    let drifted = Regression.compare(Regression.metrics(of: CPTrainer.train(problem)), with: try Regression.baseline(original.name), name: original.name)
      .filter { !$0.withinTolerance }
    #expect(!drifted.isEmpty)
  }

  @Test func aClaimsTrainingMethodsAreThoseItsCasesTrainWith() throws {
    let tf1 = try #require(Catalog.all.first { $0.code == "TF1" })
    #expect(tf1.trainingMethods(.claim, runSeed: 0x2a, cases: 1).contains(.gradientFlow))
    #expect(tf1.trainingMethods(.counter, runSeed: 0x2a, cases: 1) == [.gradientFlow, .descent(.adam)])
    let a1 = try #require(Catalog.all.first { $0.code == "A1" })
    #expect(a1.trainingMethods(.claim, runSeed: 0x2a, cases: 1).isEmpty, "A1 computes its dynamics without the trainers")
  }

  @Test func everyBaselineComparesMostOfItsMetricsAndNamesItsKernel() throws {
    for c in Regression.cases {
      let baseline = try Regression.baseline(c.name)
      #expect(!baseline.kernel.isEmpty)
      #expect(baseline.metrics.count >= 4, "\(c.name) keeps only \(baseline.metrics.keys.sorted())")
      for (metric, entry) in baseline.metrics {
        #expect(entry.tolerance >= Regression.spreadFactor * entry.spread, "\(c.name) \(metric)")
      }
    }
  }

  @Test func aChaoticMetricIsLeftOut() throws {
    // RMSprop run on into its sign-like phase near the minimum (2000 steps): rounding moves σ₂ by percents.
    let original = try #require(Regression.cases.first { $0.name == "completion-rmsprop-depth2" })
    var long = try original.problem()
    long.stop = StopRule(maxSteps: 2000)
    let problem = long
    let baseline = try Regression.record(Regression.Case(name: "long", quick: true, problem: { problem }, stages: nil), kernel: "test")
    #expect(baseline.dropped["sigma2"] != nil && baseline.metrics["sigma2"] == nil)
    #expect(baseline.dropped["sigma2"]?.contains("rounding decides it") == true)
  }

  @Test func aDriftReadsAsASentence() {
    let difference = Regression.Difference(name: "c", metric: "loss", baseline: 2, now: 2.02, tolerance: 0.0002, withinTolerance: false)
    #expect(difference.description == "c loss: 2 → 2.02 (+1 %, tolerance ±0.01 %)")
  }

  @Test func missingAndCorruptBaselinesAreNamed() {
    #expect(throws: RegressionError.self) { try Regression.baseline("no-such-case") }
  }

  /// Ways to damage a baseline so that it would call any change "no drift", with what the refusal says.
  enum Damage: String, CaseIterable, Sendable {
    case noMetrics = "\"metrics\" is empty"
    case hugeTolerance = "tolerance 1e+308 is wider than 1e-4 of its value"
    case negativeSpread = "must be finite and the last two ≥ 0"

    func apply(_ baseline: inout Baseline) {
      switch self {
      case .noMetrics: baseline.metrics = [:]
      case .hugeTolerance: baseline.metrics["loss"]?.tolerance = 1e308
      case .negativeSpread: baseline.metrics["loss"]?.spread = -1
      }
    }
  }

  @Test(arguments: Damage.allCases)
  func aBaselineThatCannotShowADriftIsRefused(damage: Damage) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-baseline-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var baseline = try Regression.baseline("completion-gd-depth3")
    damage.apply(&baseline)
    try Regression.write(baseline, for: "completion-gd-depth3", in: directory)
    #expect {
      try Regression.baseline("completion-gd-depth3", in: directory)
    } throws: { error in
      (error as? RegressionError)?.message.contains(damage.rawValue) == true
    }
  }
}
