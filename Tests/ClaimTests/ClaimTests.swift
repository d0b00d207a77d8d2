import Foundation
import PropertyTesting
import ClaimKit
import Properties
import Testing

/// `swift test` is claim verification: every claim of the catalogue in the current profile
/// (`DMF_PROFILE`, default quick), and, for each, its counter-setting, which must fail.
struct ClaimTests {
  /// The environment's configuration, or the error naming a malformed `DMF_*` variable (every claim
  /// test then fails with it rather than running with defaults the user did not ask for).
  static let environment: Result<RunConfiguration, ConfigurationError> = Result {
    var configuration = try RunConfiguration.fromEnvironment()
    configuration.pinnedDirectory = "Fixtures/counterexamples"
    return configuration
  }.mapError { $0 as! ConfigurationError }

  static var configuration: RunConfiguration { (try? environment.get()) ?? RunConfiguration() }

  /// What `claimHolds` and `claimCanFail` run: the profile's claims, or only those `DMF_CLAIMS` names.
  static let selection = ClaimTestSelection(
    names: ProcessInfo.processInfo.environment["DMF_CLAIMS"], profile: configuration.profile)

  @Test(arguments: selection.entries)
  func claimHolds(_ entry: ClaimTestSelection.Entry) async throws {
    let claim = try entry.claim()
    let result = try await claim.run(with: PropertyRunner(configuration: try Self.environment.get()))
    print("[\(claim.code)] " + result.summary)
    if let complaint = Self.complaint(claim, result) { Issue.record(Comment(rawValue: complaint)) }
    if result.verdict == .inconclusive {
      // The case budget ran out inside the indifference zone: a warning, not a failure.
      Issue.record(Comment(rawValue: "\(claim.code) \(claim.id) is inconclusive: \(result.summary)"), severity: .warning)
    }
  }

  /// What is wrong with `result` for `claim`, given its status, or nil: an established claim must
  /// hold, a claim declared refuted must fail, an exploratory one decides nothing.
  static func complaint(_ claim: Claim, _ result: PropertyResult) -> String? {
    guard claim.status.failsTheRun(result.verdict) else { return nil }
    if case .expectedRefuted(let finding) = claim.status {
      return "\(claim.code) \(claim.id) is declared refuted (\(finding)) but its verdict is \(claim.status.describe(result.verdict)): if it now holds, change its status. \(result.summary)"
    }
    return "\(claim.code) \(claim.id): \(result.summary)"
  }

  @Test(arguments: selection.entries)
  func claimCanFail(_ entry: ClaimTestSelection.Entry) async throws {
    let claim = try entry.claim()
    var configuration = try Self.environment.get()
    configuration.database = nil  // counter-settings fail by design; their failures are not regressions
    let result = try await claim.runCounterSetting(with: PropertyRunner(configuration: configuration))
    print("[\(claim.code) counter: \(claim.counterSetting)] " + result.summary)
    if claim.status == .exploratory { return }  // reported, deciding nothing
    #expect(result.verdict == .failed || result.verdict == .fails, "\(claim.code) \(claim.id) did not fail on its counter-setting (\(claim.counterSetting)): \(result.summary)")
  }

  @Test func mostInstancesDesignDecidesWithinTheQuickBudget() {
    // The numbers its documentation states, and a quick budget of 60 that is at least twice Wald's
    // expected sample size at p0 (below that the runner warns of inconclusive verdicts).
    let design = SPRTDesign.mostInstances
    #expect(design.earliestHolds == 16 && design.earliestViolated == 4)
    #expect(abs(design.expectedSampleSize(at: 0.95) - 23) < 1)
    #expect(60 >= 2 * design.expectedSampleSize(at: design.p0))
    #expect(abs(design.largestExpectedSampleSize - 58) < 1)
    #expect(SPRTDesign.typically.earliestHolds == 7 && 30 >= 2 * SPRTDesign.typically.expectedSampleSize(at: 0.8))
  }

  @Test func everyClaimIsDocumented() {
    var seen = Set<String>()
    for claim in Catalog.all {
      #expect(seen.insert(claim.id).inserted, "duplicate id \(claim.id)")
      #expect(!claim.statement.isEmpty && !claim.hypotheses.isEmpty && !claim.counterSetting.isEmpty, "\(claim.id)")
      #expect(claim.id.contains("."), "\(claim.id) is not paper.claim")
    }
    #expect(Catalog.all.count >= 25)
  }
}
