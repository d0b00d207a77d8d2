import PropertyTesting
import PropertyTestingGlue
import Testing

struct GlueTests {
  @Test func expectationsInsideAPropertyArePassedThrough() async {
    let result = await checkProperty(Gen<Int>.int(in: -50 ... 50), configuration: RunConfiguration(seed: 1)) { x in
      #expect(x * x >= 0)
    }
    #expect(result?.verdict == .passed)
  }

  @Test func aFailedExpectationFailsTheCaseAndIsSuppressedDuringSearch() async throws {
    // With expectFailure the glue reports nothing itself: if the #expect issues of search and
    // shrinking leaked, this test would fail.
    let result = await checkProperty(
      "glue: planted", Gen<Int>.int(in: 0 ... 10_000), configuration: RunConfiguration(seed: 1), expectFailure: true
    ) { x in
      #expect(x < 300)
    }
    let failure = try #require(result?.failure)
    #expect(result?.verdict == .failed)
    #expect(failure.origin.kind == .issue && failure.origin.site.hasPrefix("PropertyTestingTests/GlueTests.swift:"))
    #expect(failure.minimalCase == "300")
  }

  @Test func claimsRunThroughTheGlue() async {
    let result = await checkClaim(
      "glue: coin", Gen<Double>.double(in: 0 ... 1), design: SPRTDesign(p0: 0.9, p1: 0.8),
      configuration: RunConfiguration(seed: 4)
    ) { $0 < 0.97 }
    #expect(result?.verdict == .holds)
  }
}
