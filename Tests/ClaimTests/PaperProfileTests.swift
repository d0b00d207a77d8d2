import Foundation
import PropertyTesting
import Properties
import Testing

/// The `paper` profile: the papers' experiments at their original scale, run only when asked for.
/// These tests run the cheap parts under `swift test` (which stays in `quick`): which claims the
/// profile holds, how Figure 2's grid is laid over the cases, the cost model behind `--dry-run`, and
/// that two counter-settings fail. The claims themselves run in release builds: `.ci/run` runs R10
/// (seconds), `dmf verify --profile paper` all four (README, "Reproducing the papers").
struct PaperProfileTests {
  static let paperCodes = ["A8", "A10", "A11", "R10", "R11", "TF4"]

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

  @Test func razinCohenFigure1sCounterSettingFails() async throws {
    let claim = try #require(Catalog.claim(id: "razin-cohen.figure-1-to-loss-1e-4"))
    var configuration = RunConfiguration(profile: .paper, seed: 0x2a, parallelism: 2)
    configuration.sensitivity = .off  // the claim compares a perturbed twin itself
    let counter = await claim.runCounterSetting(with: PropertyRunner(configuration: configuration))
    #expect(counter.verdict == .failed, "\(counter.summary)")
    #expect(counter.failure?.message.contains("|W11|·√(2L)") == true, "det W(0) < 0 converges with |W11| bounded: \(counter.summary)")
  }

  @Test func figure3sCounterSettingFails() async throws {
    let claim = try #require(Catalog.claim(id: "arora.figure-3-dynamics"))
    var configuration = RunConfiguration(profile: .paper, seed: 0x2a, parallelism: 1)
    configuration.sensitivity = .off
    let counter = await claim.runCounterSetting(with: PropertyRunner(configuration: configuration))
    #expect(counter.verdict == .failed, "depth 1 learns every singular value at once: \(counter.summary)")
  }

  @Test func theTensorFiguresCounterSettingFails() async throws {
    let claim = try #require(Catalog.claim(id: "razin-cohen.tensor-figure"))
    var configuration = RunConfiguration(profile: .paper, seed: 0x2a, parallelism: 2)
    configuration.sensitivity = .off
    let counter = await claim.runCounterSetting(with: PropertyRunner(configuration: configuration))
    #expect(counter.verdict == .failed, "a large init has no low-rank bias: \(counter.summary)")
  }

  @Test func figure2sCounterSettingFailsOnItsFirstRun() async throws {
    let claim = try #require(Catalog.claim(id: "arora.figure-2-few-observations"))
    var configuration = RunConfiguration(profile: .paper, seed: 0x2a, parallelism: 1)
    configuration.sensitivity = .off
    let counter = await claim.runCounterSetting(with: PropertyRunner(configuration: configuration))
    #expect(counter.verdict == .failed, "\(counter.summary)")
    #expect(counter.casesRun == 1, "depth 1 misses the error range on its first run")
  }
}
