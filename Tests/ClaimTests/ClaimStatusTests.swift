import PropertyTesting
@testable import ClaimKit
@testable import Properties
import Testing

/// A refuted conjecture can stay in the catalogue: declared refuted, its failure keeps `swift test`
/// green and its holding turns it red; declared as a plain claim, the same failure turns it red; an
/// exploratory claim decides nothing. `swift test` reads a result through ``ClaimTests/complaint(_:_:)``.
struct ClaimStatusTests {
  /// "x ≤ 0.5 for x uniform on [0, 1]": false (the harness finds x > 0.5 in a few cases); with
  /// `bound` 1 instead, true.
  static func conjecture(bound: Double = 0.5) -> Claim {
    PlantedClaim.bounded(id: "conjecture.below-half", code: "X1", bound: bound, counter: "x + 2, above any bound", cases: 20)
  }

  static func run(_ claim: Claim) async throws -> PropertyResult {
    try await claim.run(with: PropertyRunner(configuration: RunConfiguration(profile: .quick, seed: 1, database: nil)))
  }

  @Test func aRefutedConjectureDeclaredAsSuchIsGreenAndAsAPlainClaimRed() async throws {
    let plain = Self.conjecture(), refuted = plain.refuted("x = 0.93 at seed 1, and shrinking finds x just above 0.5")
    let result = try await Self.run(plain)
    #expect(result.verdict == .failed)
    #expect(ClaimTests.complaint(plain, result) != nil, "a plain claim that fails turns swift test red")
    #expect(ClaimTests.complaint(refuted, try await Self.run(refuted)) == nil, "declared refuted, the same failure keeps it green")
    #expect(refuted.status.describe(result.verdict) == "failed (refuted, as expected)")
  }

  @Test func aClaimDeclaredRefutedThatHoldsIsRed() async throws {
    let holding = Self.conjecture(bound: 1).refuted("planted: it holds")
    let result = try await Self.run(holding)
    #expect(result.verdict == .passed)
    let complaint = try #require(ClaimTests.complaint(holding, result))
    #expect(complaint.contains("is declared refuted") && complaint.contains("change its status"))
  }

  @Test func anExploratoryClaimDecidesNothing() async throws {
    let exploring = Self.conjecture().exploratory()
    let failing = try await Self.run(exploring), holding = try await Self.run(Self.conjecture(bound: 1).exploratory())
    #expect(failing.verdict == .failed && holding.verdict == .passed)
    #expect(ClaimTests.complaint(exploring, failing) == nil && ClaimTests.complaint(exploring, holding) == nil)
    #expect(exploring.status.describe(failing.verdict) == "failed (exploratory)")
  }

  @Test(arguments: [
    (ClaimStatus.established, PropertyResult.Verdict.failed, false, true),
    (.established, .inconclusive, false, false), (.established, .inconclusive, true, true),
    (.expectedRefuted("f"), .failed, false, false), (.expectedRefuted("f"), .fails, false, false),
    (.expectedRefuted("f"), .passed, false, true), (.expectedRefuted("f"), .holds, false, true),
    (.expectedRefuted("f"), .flaky, false, true), (.expectedRefuted("f"), .inconclusive, true, true),
    (.exploratory, .failed, true, false), (.exploratory, .unhealthy, true, false),
  ])
  func whichVerdictsFailTheRun(status: ClaimStatus, verdict: PropertyResult.Verdict, strict: Bool, fails: Bool) {
    #expect(status.failsTheRun(verdict, strict: strict) == fails)
  }

  @Test func aRefutationWithoutItsFindingIsADefinitionMistake() {
    #expect {
      try Catalog.validate([Self.conjecture().refuted(" ")])
    } throws: { error in
      (error as? ClaimDefinitionError).map { $0.field == "status" } ?? false
    }
  }
}
