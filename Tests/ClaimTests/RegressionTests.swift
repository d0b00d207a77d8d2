import DeepFactorization
@testable import Properties
import Testing

/// The quick subset of `dmf regress`: seeded runs must match `Fixtures/baselines/` within tolerance.
struct RegressionTests {
  static let quickCases = Regression.cases.filter(\.quick).map(\.name)

  @Test(arguments: quickCases)
  func matchesItsBaseline(name: String) throws {
    let c = try #require(Regression.cases.first { $0.name == name })
    let drifted = Regression.compare(try Regression.measure(c), with: try Regression.baseline(name), name: name).filter { !$0.withinTolerance }
    #expect(drifted.isEmpty, "\(name) drifted: \(drifted.map { "\($0.metric) \($0.baseline ?? .nan) → \($0.now ?? .nan)" })")
  }

  @Test func aChangedOptimizerIsCaughtAsDrift() throws {
    // The same problem as completion-gd-depth3 with a learning rate changed in the fourth digit.
    let original = try #require(Regression.cases.first { $0.name == "completion-gd-depth3" })
    var modified = try original.problem()
    modified.method = .descent(GradientDescent(learningRate: 0.5001))
    let problem = modified
    let changed = Regression.Case(name: original.name, quick: true, problem: { problem }, stages: nil)
    let drifted = Regression.compare(try Regression.measure(changed), with: try Regression.baseline(original.name), name: original.name)
      .filter { !$0.withinTolerance }
    #expect(!drifted.isEmpty)
  }

  @Test func missingAndCorruptBaselinesAreNamed() {
    #expect(throws: RegressionError.self) { try Regression.baseline("no-such-case") }
  }
}
