import PropertyTesting
import Testing

/// The numerical-sensitivity check: a property whose outcome follows the perturbation is fragile,
/// one that ignores it is not, and fragile is never passed or holds.
struct SensitivityTests {
  /// A runner that re-runs `cases` generated cases (every case when nil).
  func runner(cases: Int?, seed: UInt64 = 7, parallelism: Int = 2) -> PropertyRunner {
    var configuration = RunConfiguration(profile: .quick, seed: seed, parallelism: parallelism)
    configuration.sensitivity = SensitivityCheck(cases: cases)
    return PropertyRunner(configuration: configuration)
  }

  /// "The last bit decides": passes on the first run, and under the perturbation only when the
  /// perturbation seed is even — an outcome set by rounding, as a chaotic quantity's would be.
  @Sendable static func lastBit(_ x: Int) throws {
    if let seed = PropertyContext.perturbationSeed {
      try require(seed % 2 == 0, "odd last bit")
    }
  }

  @Test func aPropertyDecidedByRoundingIsFragileNotPassed() async {
    let result = await runner(cases: nil).check("planted fragile", Gen<Int>.int(in: 0 ... 1000), budget: .cases(40), Self.lastBit)
    #expect(result.verdict == .unhealthy)
    let finding = result.health.first { $0.check == HealthCheck.numericallyFragile }
    #expect(finding?.isError == true)
    #expect(finding?.message.contains("numerically fragile") == true)
    #expect(finding?.message.contains("dmf2.") == true, "names the flipped cases by replay token")
  }

  @Test func aStatisticalClaimDecidedByRoundingNeverHolds() async {
    let result = await runner(cases: nil).claim("planted fragile claim", Gen<Int>.int(in: 0 ... 1000), design: .init(p0: 0.99, p1: 0.9, alpha: 0.05, beta: 0.05), budget: .cases(200)) { x in
      (try? Self.lastBit(x)) != nil
    }
    #expect(result.verdict == .unhealthy)
    #expect(result.health.contains { $0.check == HealthCheck.numericallyFragile && $0.isError })
  }

  /// A statistical claim with a case near its threshold: one case in ten fails unperturbed and passes
  /// perturbed. Its flips do not change the SPRT's decision, so they are a warning and it holds.
  @Test func aFlipThatLeavesTheDecisionAloneIsAWarning() async throws {
    let design = SPRTDesign(p0: 0.8, p1: 0.4, alpha: 0.001, beta: 0.01)
    var flagged: PropertyResult?
    for seed in UInt64(1) ... 40 where flagged == nil {
      let result = await runner(cases: 3, seed: seed).claim("near its threshold", Gen<Int>.int(in: 0 ... 999), design: design, budget: .cases(60)) { x in
        x >= 100 || PropertyContext.perturbationSeed != nil
      }
      if result.health.contains(where: { $0.check == HealthCheck.numericallyFragile }) { flagged = result }
    }
    let result = try #require(flagged, "some seed re-runs a case that flips")
    #expect(result.verdict == .holds)
    #expect(result.health.contains { $0.check == HealthCheck.numericallyFragile && !$0.isError && $0.message.contains("decides the same (holds)") })
  }

  @Test func aPropertyThatIgnoresThePerturbationIsNotFlagged() async {
    let result = await runner(cases: nil).check("robust", Gen<Int>.int(in: 0 ... 1000), budget: .cases(40)) { x in
      try require(x >= 0)
    }
    #expect(result.verdict == .passed)
    #expect(!result.health.contains { $0.check == HealthCheck.numericallyFragile })
  }

  @Test func aFailureThatPassesWhenPerturbedIsNotACounterexample() async {
    // Fails on every first run and passes whenever perturbed: the deciding failure flips.
    let result = await runner(cases: nil).check("fragile failure", Gen<Int>.int(in: 0 ... 1000), budget: .cases(40)) { _ in
      try require(PropertyContext.perturbationSeed != nil, "fails unperturbed")
    }
    #expect(result.verdict == .unhealthy)
    #expect(result.failure == nil, "a rounding-level failure is not shrunk or reported as a counterexample")
    #expect(result.health.contains { $0.isError && $0.message.contains("the failing case 0 passes") })
  }

  @Test func aFailureThatAlsoFailsWhenPerturbedIsReported() async {
    let result = await runner(cases: nil).check("robust failure", Gen<Int>.int(in: 0 ... 1000), budget: .cases(40)) { x in
      try require(x < 0, "never negative")
    }
    #expect(result.verdict == .failed)
    #expect(!result.health.contains { $0.check == HealthCheck.numericallyFragile })
  }

  @Test func flipsWithinTheToleranceAreAWarning() async {
    // One flip in 40 checked cases (2.5 %) is within the 5 % tolerance.
    let result = await runner(cases: nil).check("one flip", Gen<Int>.int(in: 0 ... 1_000_000), budget: .cases(40)) { x in
      if PropertyContext.perturbationSeed != nil, x == Self.firstValue { try require(false, "flipped") }
    }
    #expect(result.verdict == .passed)
    let finding = result.health.first { $0.check == HealthCheck.numericallyFragile }
    #expect(finding?.isError == false)
    #expect(finding?.message.contains("1 of 40") == true)
  }

  /// The value of case 0 under `runner(cases:)`'s seed (found by generating it).
  static let firstValue: Int = {
    let seed = PropertyIdentity.caseSeed(runSeed: 7, name: "one flip", index: 0)
    return (try? Gen<Int>.int(in: 0 ... 1_000_000).generate(ChoiceSource(seed: seed))) ?? -1
  }()

  @Test func onlyTheCoveredCasesAreReRun() async {
    let counter = CallCounter()
    // One case at a time, so that no case is evaluated ahead of the decision.
    let result = await runner(cases: 3, parallelism: 1).check("counted", Gen<Int>.int(in: 0 ... 10), budget: .cases(20)) { _ in counter.increment() }
    #expect(result.verdict == .passed)
    #expect(counter.value == 23)
  }

  @Test(arguments: [("off", 0 as Int?), ("all", nil), ("12", 12)])
  func theSettingParses(text: String, cases: Int?) {
    #expect(SensitivityCheck(parsing: text)?.cases == cases)
  }

  @Test func aMalformedSettingIsAnError() {
    #expect(throws: ConfigurationError.self) { try RunConfiguration.fromEnvironment(["DMF_SENSITIVITY": "some"]) }
    #expect(SensitivityCheck(parsing: "-1") == nil)
  }

  @Test func profilesCheckAFewCasesQuicklyAndEveryCaseInCIAndFull() {
    #expect(SensitivityCheck.standard(for: .quick).cases == 3)
    #expect(SensitivityCheck.standard(for: .ci).cases == nil)
    #expect(SensitivityCheck.standard(for: .full).cases == nil)
  }
}
