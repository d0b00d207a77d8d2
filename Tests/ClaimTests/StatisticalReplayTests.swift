import PropertyTesting
@testable import ClaimKit
@testable import Properties
import Testing

/// A statistical claim's failing case replays with its measurement against its interval, not only
/// "the claim's predicate is false".
struct StatisticalReplayTests {
  @Test func aFailingCaseReplaysWithItsMeasurementAgainstItsInterval() async throws {
    let setting = ClaimSetting(cases: Gen<Double>.double(in: 0 ... 1), budget: .cases(60))
    let claim = Claim.statistical(
      id: "planted.mostly-small", code: "X2", paper: PaperReference("planted", 2026, arXiv: "none", at: "StatisticalReplayTests"),
      thresholds: [Threshold(.bound, 0 ... 0.9, source: "planted")], statement: "x ≤ 0.9 with probability ≥ 0.95", hypotheses: ["x uniform on [0, 1]"],
      design: .mostInstances, setting: setting, counter: setting.changingEachCase("x + 2") { $0 += 2 }
    ) { x in Measurement("x", x, threshold: .bound) }
    let run = try await claim.run(with: PropertyRunner(configuration: RunConfiguration(seed: 1)))
    let token = try #require(run.statistics?.failingTokens.first, "\(run.summary)")
    let replayed = try await claim.run(with: PropertyRunner(configuration: RunConfiguration(replay: try ReplayToken(parsing: token))))
    #expect(replayed.verdict == .failed && replayed.casesReplayed == 1)
    let measured = try #require(replayed.measurements.first)
    #expect(measured.quantity == "x" && measured.count == 1 && measured.median > 0.9)
    #expect(measured.expectedLower == 0 && measured.expectedUpper == 0.9)
    #expect(replayed.summary.contains("replayed case (") && !replayed.summary.contains("shrinks in"))
  }
}
