import PropertyTesting
@testable import ClaimKit
@testable import Properties
import Testing

/// The catalogue refuses its own mistakes: each is an error naming the claim and the field, never a
/// verdict, a counterexample or a token.
struct CatalogValidationTests {
  /// A cheap claim: x ∈ [0, 1] is at most 1 (its threshold `bound`), counter-setting x + 2.
  static func planted(
    id: String = "planted.bounded", code: String = "P1", threshold: ThresholdName = .bound, counter: String = "x + 2, above the bound"
  ) -> Claim {
    PlantedClaim.bounded(id: id, code: code, threshold: threshold, counter: counter)
  }

  @Test func theCatalogueIsValid() throws {
    let claims = try Catalog.validated()
    #expect(claims.count == Catalog.all.count)
  }

  @Test(arguments: [
    ([planted(), planted(code: "P2")], "id", "\"planted.bounded\" is also the id of claim P1"),
    ([planted(), planted(id: "planted.other")], "code", "\"P1\" is also the code of planted.bounded"),
    ([planted(), planted(id: "planted.other", code: "p1")], "code", "\"p1\" is also the code"),
    ([planted(counter: " ")], "counter", "no counter-setting"),
    ([planted(id: "bounded")], "id", "not of the form paper.claim"),
  ])
  func aMistakeFailsAtLoadNamingTheClaimAndField(claims: [Claim], field: String, problem: String) {
    #expect {
      try Catalog.validate(claims)
    } throws: { error in
      guard let mistake = error as? ClaimDefinitionError else { return false }
      return mistake.field == field && mistake.problem.contains(problem) && mistake.claim.contains(claims.last!.code)
    }
  }

  /// A misspelt threshold name does not compile (names are `ThresholdName` values); a measurement
  /// naming a threshold its claim does not declare (here `bund`) ends the run in a definition error:
  /// no verdict, no shrinking, no token — for a claim and for its counter-setting.
  @Test func anUndeclaredThresholdIsADefinitionErrorNotAVerdict() async throws {
    let misspelt = Self.planted(threshold: .undeclared)
    let runner = PropertyRunner(configuration: RunConfiguration(profile: .quick, seed: 0x2a, parallelism: 1))
    for counter in [false, true] {
      await #expect {
        _ = counter ? try await misspelt.runCounterSetting(with: runner) : try await misspelt.run(with: runner)
      } throws: { error in
        guard let mistake = error as? ClaimDefinitionError else { return false }
        return mistake.claim == "P1 planted.bounded" && mistake.field == "thresholds" && mistake.problem.contains("\"bund\"")
      }
    }
    // The same claim spelt right passes, and its counter-setting fails.
    let right = Self.planted()
    #expect(try await right.run(with: runner).verdict == .passed)
    #expect(try await right.runCounterSetting(with: runner).verdict == .failed)
  }
}
