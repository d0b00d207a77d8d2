import PropertyTesting
import SeededRandom
import Testing

struct StatisticsTests {
  static let design = SPRTDesign(p0: 0.9, p1: 0.8, alpha: 0.01, beta: 0.01)

  /// Runs the SPRT on a coin of success probability p until it decides.
  static func simulate(p: Double, runs: Int, seed: UInt64) -> (violated: Int, meanTrials: Double) {
    var generator = Xoshiro256StarStar(seed: seed)
    var violated = 0, totalTrials = 0
    for _ in 0 ..< runs {
      var test = SequentialTest(design: design)
      while test.decision == .undecided { test.observe(success: generator.nextDouble() < p) }
      if test.decision == .violated { violated += 1 }
      totalTrials += test.trials
    }
    return (violated, Double(totalTrials) / Double(runs))
  }

  @Test func decisionLinesMatchTheWorkedNumbers() {
    // From the design notes: "holds" at the earliest after 40 straight successes; violated if
    // F ≥ 5.67 + 0.145 n.
    #expect(Self.design.earliestHolds == 40)
    #expect(abs(Self.design.upperThreshold / (Self.design.failureStep - Self.design.successStep) - 5.67) < 0.01)
    #expect(abs(-Self.design.successStep / (Self.design.failureStep - Self.design.successStep) - 0.145) < 0.001)
    #expect(abs(Self.design.expectedSampleSize(at: 0.9) - 123) < 2)
    #expect(abs(Self.design.expectedSampleSize(at: 0.8) - 101) < 2)
  }

  @Test(arguments: [(0.95, false), (0.9, false), (0.8, true), (0.7, true)])
  func errorRatesAreConsistentWithAlphaAndBeta(p: Double, shouldReject: Bool) {
    let runs = 2000
    let (violated, _) = Self.simulate(p: p, runs: runs, seed: UInt64(p * 1000))
    let wrong = shouldReject ? runs - violated : violated
    // Wrong decisions at most α (or β) = 1 %, plus three binomial standard deviations.
    let allowed = Double(runs) * 0.01 + 3 * (Double(runs) * 0.01 * 0.99).squareRoot()
    #expect(Double(wrong) <= allowed, "p = \(p): \(wrong) wrong decisions in \(runs)")
  }

  @Test func meanSampleSizeAtP0IsNearWaldsApproximation() {
    let (_, mean) = Self.simulate(p: 0.9, runs: 2000, seed: 90)
    let wald = Self.design.expectedSampleSize(at: 0.9)
    #expect(abs(mean - wald) <= 0.2 * wald, "mean sample size \(mean) against Wald's \(wald)")
  }

  @Test(arguments: [(0.97, PropertyResult.Verdict.holds), (0.6, .fails)])
  func claimsAreDecidedThroughTheRunner(p: Double, expected: PropertyResult.Verdict) async {
    let coin = Gen<Double>.double(in: 0 ... 1)
    let result = await testRunner().claim("coin \(p)", coin, design: Self.design) { $0 < p }
    #expect(result.verdict == expected)
    let statistics = result.statistics
    #expect(statistics?.trials == result.casesRun)
    #expect(statistics.map { $0.wilson95.lower <= $0.pHat && $0.pHat <= $0.wilson95.upper } == true)
    if expected == .fails { #expect(statistics?.failingTokens.isEmpty == false) }
  }

  @Test func aRateInsideTheIndifferenceZoneRunsOutOfBudget() async {
    // p = 0.85 with 45 cases: "holds" needs 40 straight successes (0.85⁴⁰ ≈ 0.15 %), "violated" about 12 failures.
    let coin = Gen<Double>.double(in: 0 ... 1)
    let result = await testRunner().claim("zone", coin, design: Self.design, budget: .cases(45)) { $0 < 0.85 }
    #expect(result.verdict == .inconclusive)
    #expect(result.casesRun == 45)
    #expect(result.health.contains { $0.check == .statisticalBudget && !$0.isError })
  }

  @Test func thrownErrorsCountAsFailuresAndAreNoted() async {
    struct Diverged: Error {}
    let result = await testRunner().claim("throws", Gen<Int>.int(in: 0 ... 1), design: Self.design) { _ in throw Diverged() }
    #expect(result.verdict == .fails)
    #expect(result.health.contains { $0.check == .thrownError })
  }
}
