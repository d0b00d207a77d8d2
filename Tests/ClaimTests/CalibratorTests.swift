import PropertyTesting
@testable import ClaimKit
@testable import Properties
import Testing

/// `dmf calibrate`'s engine: the same master seed gives the same record whatever the parallelism,
/// each run seed reproduces the cases a run with that seed checks, and the summaries count right.
struct CalibratorTests {
  /// x ~ U[0, 1] held to [0, 0.9]: about one case in ten is outside; counter-setting x + 2.
  static let leaky: Claim = {
    let setting = ClaimSetting(cases: Gen<Double>.double(in: 0 ... 1), budget: .cases(quick: 4, ci: 8, full: 16))
    return Claim.forEvery(
      id: "planted.leaky", code: "P2", paper: PaperReference("planted", 2026, arXiv: "none", at: "CalibratorTests"),
      thresholds: [Threshold(.bound, 0 ... 0.9, source: "planted")], statement: "x ≤ 0.9", hypotheses: ["x uniform on [0, 1]"],
      setting: setting, counter: setting.changingEachCase("x + 2") { $0 += 2 }
    ) { x in Measurement("x", x, threshold: .bound) }
  }()

  @Test func theRecordDependsOnlyOnTheMasterSeed() async {
    let one = await Calibrator(claim: Self.leaky, masterSeed: 7, minimumCases: 40, parallelism: 1).calibrate(.claim)
    let two = await Calibrator(claim: Self.leaky, masterSeed: 7, minimumCases: 40, parallelism: 2).calibrate(.claim)
    let other = await Calibrator(claim: Self.leaky, masterSeed: 8, minimumCases: 40, parallelism: 2).calibrate(.claim)
    #expect(one.quantities == two.quantities && one.runSeeds == two.runSeeds && one.runVerdicts == two.runVerdicts)
    #expect(one.quantities != other.quantities)
    #expect(one.cases == 40 && one.runSeeds.count == 10 && one.casesPerRun == 4)
  }

  @Test func summariesCountWhatTheCasesMeasured() async throws {
    let calibrator = Calibrator(claim: Self.leaky, masterSeed: 11, minimumCases: 400, parallelism: 2)
    let side = await calibrator.calibrate(.claim)
    let quantity = try #require(side.quantities.first)
    #expect(quantity.threshold == "bound" && quantity.count == side.cases && quantity.lower == 0 && quantity.upper == 0.9)
    // About a tenth of U[0, 1] lies above 0.9; the exact upper bound covers the rate.
    #expect(quantity.outside > 20 && quantity.outside < 65 && quantity.outsideRateUpper > 0.1)
    #expect(side.casesHolding == side.cases - quantity.outside)
    #expect((quantity.highest?.margin ?? 0) < 0 && (quantity.lowest?.margin ?? -1) >= 0)
    // A run fails when any of its four cases is above 0.9; the verdicts are counted per run seed.
    #expect(side.runVerdicts["failed", default: 0] + side.runVerdicts["passed", default: 0] == side.runSeeds.count)
    #expect(side.runVerdicts["failed", default: 0] > 0)
    // The highest case is the one a run with that seed draws at that index.
    let highest = try #require(quantity.highest)
    let seed = try #require(UInt64(highest.runSeed.dropFirst(2), radix: 16))
    #expect(Self.leaky.sample(.claim, runSeed: seed, index: highest.index).parts.first?.value == highest.value)
    let counter = await calibrator.calibrate(.counter)
    #expect(counter.casesHolding == 0 && counter.runVerdicts == ["failed": counter.runSeeds.count])
  }

  @Test func aStatisticalRunStopsAtItsDecision() async {
    let setting = ClaimSetting(cases: Gen<Double>.double(in: 0 ... 1), budget: .cases(quick: 60, ci: 60, full: 60))
    let mostly = Claim.statistical(
      id: "planted.mostly", code: "P3", paper: PaperReference("planted", 2026, arXiv: "none", at: "CalibratorTests"),
      thresholds: [Threshold(.bound, 0 ... 0.99, source: "planted")], statement: "x ≤ 0.99 on most draws", hypotheses: ["x uniform on [0, 1]"],
      design: .mostInstances, setting: setting, counter: setting.changingEachCase("x + 2") { $0 += 2 }
    ) { x in Measurement("x", x, threshold: .bound) }
    let side = await Calibrator(claim: mostly, masterSeed: 3, minimumCases: 200, parallelism: 2).calibrate(.claim)
    // Every run says "holds" after 16 to a few more cases, never the whole budget.
    #expect(side.runVerdicts.keys.allSatisfy { $0 == "holds" || $0 == "fails" } && side.runVerdicts["holds", default: 0] >= side.runSeeds.count - 1)
    #expect(side.cases < side.runSeeds.count * 30)
    let counter = await Calibrator(claim: mostly, masterSeed: 3, minimumCases: 40, parallelism: 2).calibrate(.counter)
    #expect(counter.runVerdicts == ["fails": counter.runSeeds.count] && counter.cases == 4 * counter.runSeeds.count)
  }
}
