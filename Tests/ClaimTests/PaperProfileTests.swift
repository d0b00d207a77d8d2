import Foundation
import PropertyTesting
import ClaimKit
import Properties
import Testing

/// The `paper` profile: the papers' experiments at their original scale, run only when asked for.
/// These tests run the cheap parts under `swift test` (which stays in `quick`): which claims the
/// profile holds, how Figure 2's grid is laid over the cases, the cost model behind `--dry-run`, and
/// that two counter-settings fail. The claims themselves run in release builds: `.ci/run` runs R10
/// (seconds), `dmf verify --profile paper` all four (README, "Reproducing the papers").
struct PaperProfileTests {
  static let paperCodes = ["A8", "A10", "A11", "R10", "R11", "TF4", "H3"]

  @Test func onlyThePaperProfileRunsTheOriginalScaleClaims() {
    let paper = Catalog.all.filter { $0.profiles.contains(.paper) }.map(\.code)
    #expect(paper == Self.paperCodes)
    for profile in [Profile.quick, .ci, .full] {
      #expect(Catalog.all.filter { $0.profiles.contains(profile) }.allSatisfy { !Self.paperCodes.contains($0.code) }, "\(profile)")
    }
    // Every paper claim has a cost model, so --dry-run can estimate the whole profile.
    #expect(Catalog.all.filter { $0.profiles.contains(.paper) }.allSatisfy { $0.budget.cases[.paper] ?? 0 > 0 })
  }

  @Test func figure2LaysItsGridOverTheCasesInstanceByInstance() throws {
    let claim = try #require(Catalog.claim(id: "arora.figure-2-few-observations"))
    let cases = try #require(try claim.estimatedCases(profile: .paper, runSeed: 0x2a))
    #expect(cases.count == 36)
    var seen: [String] = []
    for (index, item) in cases.enumerated() {
      #expect(item.description.contains("instance \(index / 12),"), "\(item.description)")
      let depth = [2, 3, 4][(index % 12) / 4], scale = [1e-3, 1e-4, 1e-5, 1e-6][index % 4]
      #expect(item.description.contains("depth \(depth), init \(scale),"), "\(item.description)")
      seen.append(item.description)
      // The estimate: the calibrated seconds a step times the typical steps, at most the budget's.
      #expect(item.cost.typicalSeconds > 0 && item.cost.maxSeconds >= 10 * item.cost.typicalSeconds, "\(item.cost)")
    }
    // The same run seed draws the same cases (the dry run lists what the run trains).
    let again = try #require(try claim.estimatedCases(profile: .paper, runSeed: 0x2a)).map(\.description)
    #expect(again == seen)
    #expect(try #require(try claim.estimatedCases(profile: .paper, runSeed: 0x7)).map(\.description) != seen, "other init seeds")
  }

  /// Each paper claim's counter-setting fails on its cheap first runs: R10 from det W(0) < 0 (|W11|
  /// stays bounded), A11 at depth 1 (every singular value at once), R11 at init 0.5 (no low-rank bias),
  /// A8 at depth 1 (on its first run: the unobserved entries stay at their init).
  @Test(arguments: [
    ("razin-cohen.figure-1-to-loss-1e-4", "|W11|·√(2L)", nil as Int?),
    ("arora.figure-3-dynamics", "stages", nil),
    ("razin-cohen.tensor-figure", "error / the memoriser's", nil),
    ("arora.figure-2-few-observations", "error", 1),
  ])
  func counterSettingFails(id: String, failingPart: String, cases: Int?) async throws {
    let claim = try #require(Catalog.claim(id: id))
    var configuration = RunConfiguration(profile: .paper, seed: 0x2a, parallelism: 2)
    configuration.sensitivity = .off  // R10 compares a perturbed twin itself; the others are cheap first runs
    let counter = try await claim.runCounterSetting(with: PropertyRunner(configuration: configuration))
    #expect(counter.verdict == .failed, "\(claim.code) on \(claim.counterSetting): \(counter.summary)")
    #expect(counter.failure?.message.contains(failingPart) == true, "\(counter.summary)")
    if let cases { #expect(counter.casesRun == cases, "\(counter.summary)") }
  }
}
