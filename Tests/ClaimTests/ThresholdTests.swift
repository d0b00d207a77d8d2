import PropertyTesting
import Properties
import Testing

/// A measurement names its claim's threshold; the claim supplies the interval and the source.
struct ThresholdTests {
  static let declared = [Threshold("bound", 0 ... 1, source: "a derivation"), Threshold("other", 1 ... 3, source: "a calibration run")]

  @Test func aNamedThresholdTakesTheClaimsInterval() throws {
    let measured = Measurement("x", 0.5, threshold: "bound", and: [Measurement("y", 2, threshold: "other")])
    #expect(!measured.holds, "an unresolved threshold never holds")
    let resolved = try measured.resolved(against: Self.declared, claim: "c")
    #expect(resolved.holds)
    #expect(resolved.expected == 0 ... 1 && resolved.conditions[0].expected == 1 ... 3)
    let outside = try Measurement("x", 1.5, threshold: "bound").resolved(against: Self.declared, claim: "c")
    #expect(!outside.holds && outside.failingParts == ["x"])
  }

  @Test func anUndeclaredThresholdIsAFailureThatNamesIt() {
    #expect {
      try Measurement("x", 0.5, threshold: "bund").resolved(against: Self.declared, claim: "c")
    } throws: { error in
      let message = (error as? PropertyFailure)?.message ?? ""
      return message.contains("\"bund\"") && message.contains("bound, other")
    }
  }
}
