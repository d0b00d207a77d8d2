import Foundation
import PropertyTesting
@testable import ClaimKit
@testable import Properties
import Testing

/// Shrinking minimises the case, not the violation: a gross failure shrinks to a marginal one unless
/// the setting keeps the margin (`shrinkKeepingMargin`).
struct MarginShrinkingTests {
  /// "x ≤ 0.5" for x uniform on [0, 1] (interval width 0.5), optionally keeping a margin of k widths.
  static func conjecture(keepingMargin k: Double?) -> Claim {
    PlantedClaim.bounded(id: "planted.below-half", code: "X3", bound: 0.5, counter: "x + 2", cases: 30, keepingMargin: k)
  }

  static func failure(keepingMargin k: Double?, seed: UInt64) async throws -> PropertyResult.Failure {
    let result = try await conjecture(keepingMargin: k).run(with: PropertyRunner(configuration: RunConfiguration(seed: seed)))
    return try #require(result.failure)
  }

  /// The value of x in a failure message `x = 0.93, expected [0, 0.5]`.
  static func x(_ message: String) throws -> Double {
    let text = try #require(message.split(separator: ",").first?.split(separator: "=").last)
    return try #require(Double(text.trimmingCharacters(in: .whitespaces)))
  }

  @Test func theMinimalCaseMissesByAsMuchAsTheFirstOrAsLittle() async throws {
    // Over seeds whose first failing case misses by at least half the width (x ≥ 0.75) and seeds
    // whose first misses by less, the minimal case keeps the first's side of the margin. Without the
    // margin it need not: the float shrinker's simplest failing x is 1.0, a gross miss, even from a
    // marginal first failure.
    var sides: Set<Bool> = [], plainCrossed = 0
    for seed: UInt64 in 1 ... 12 {
      let plain = try await Self.failure(keepingMargin: nil, seed: seed)
      let kept = try await Self.failure(keepingMargin: 0.5, seed: seed)
      let first = try Self.x(try #require(kept.firstFailingCase).message) >= 0.75
      sides.insert(first)
      #expect((try Self.x(kept.message) >= 0.75) == first, "seed \(seed): \(kept.message)")
      #expect(kept.origin.description.contains(first ? "misses by ≥ 0.5× its interval's width" : "misses by < 0.5× its interval's width"))
      if (try Self.x(plain.message) >= 0.75) != first { plainCrossed += 1 }
    }
    #expect(sides == [true, false], "the seeds cover both sides")
    #expect(plainCrossed > 0, "without the margin some failure changes side")
  }

  @Test(arguments: [
    (0.7, 0.0 ... 0.5, 0.4), (-0.25, 0.0 ... 0.5, 0.5), (0.3, 0.0 ... 0.5, 0.0), (0.5, 1.0 ... Double.infinity, 0.5),
    (Double.nan, 0.0 ... 1.0, Double.infinity),
  ])
  func missesAreInWidthsOfTheInterval(value: Double, expected: ClosedRange<Double>, miss: Double) {
    #expect(Measurement("x", value, expected: expected).largestMiss == miss || abs(Measurement("x", value, expected: expected).largestMiss - miss) < 1e-12)
  }
}
