@testable import ClaimKit
@testable import Properties
import Testing

/// `--claim` arguments: ids, codes and patterns.
struct CatalogSelectionTests {
  @Test(arguments: [
    ("li-luo-lyu.first-plateau-rank-1", ["L2"]),
    ("L2", ["L2"]),
    ("l2", ["L2"]),
    ("razin-cohen.*", ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R10", "R11"]),
    ("L?", ["L1", "L2"]),
    ("*.norms-diverge", ["R2"]),
    ("no-such-claim", []),
    ("razin-cohen.", []),
  ])
  func selection(pattern: String, codes: [String]) {
    #expect(Catalog.claims(matching: pattern).map(\.code) == codes)
  }

  @Test(arguments: [("a*c", "abc", true), ("a*c", "ac", true), ("a*c", "abd", false), ("*", "", true), ("a?", "a", false), ("**b", "ab", true)])
  func globMatching(pattern: String, text: String, matches: Bool) {
    #expect(Catalog.glob(pattern, matches: text) == matches)
  }

  @Test func everyClaimDeclaresItsThresholdsWithSources() {
    let l2 = Catalog.claims(matching: "L2")[0]
    #expect(l2.thresholds.map(\.name) == ["plateau-gap"])
    for claim in Catalog.all {
      #expect(!claim.thresholds.isEmpty, "\(claim.code) declares no threshold")
      #expect(claim.thresholds.allSatisfy { !$0.source.isEmpty }, "\(claim.code) has a threshold without a source")
      #expect(Set(claim.thresholds.map(\.name)).count == claim.thresholds.count, "\(claim.code) repeats a threshold name")
    }
  }
}
