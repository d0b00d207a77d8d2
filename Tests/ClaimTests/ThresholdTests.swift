import PropertyTesting
import ClaimKit
import Properties
import Testing

/// A measurement names its claim's threshold; the claim supplies the interval and the source.
extension ThresholdName {
  static let bound = ThresholdName("bound")
  static let other = ThresholdName("other")
  static let undeclared = ThresholdName("bund")
}

struct ThresholdTests {
  static let declared = [Threshold(.bound, 0 ... 1, source: "a derivation"), Threshold(.other, 1 ... 3, source: "a calibration run")]

  @Test func aNamedThresholdTakesTheClaimsInterval() throws {
    let measured = Measurement("x", 0.5, threshold: .bound, and: [Measurement("y", 2, threshold: .other)])
    #expect(!measured.holds, "an unresolved threshold never holds")
    let resolved = try measured.resolved(against: Self.declared, claim: "c")
    #expect(resolved.holds)
    #expect(resolved.expected == 0 ... 1 && resolved.conditions[0].expected == 1 ... 3)
    let outside = try Measurement("x", 1.5, threshold: .bound).resolved(against: Self.declared, claim: "c")
    #expect(!outside.holds && outside.failingParts == ["x"])
  }

  @Test func anUndeclaredThresholdIsADefinitionErrorThatNamesIt() {
    #expect {
      try Measurement("x", 0.5, threshold: .undeclared).resolved(against: Self.declared, claim: "c")
    } throws: { error in
      guard let mistake = error as? ClaimDefinitionError else { return false }
      return mistake.claim == "c" && mistake.field == "thresholds" && mistake.problem.contains("\"bund\"") && mistake.problem.contains("bound, other")
    }
  }
}
