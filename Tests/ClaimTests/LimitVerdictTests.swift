import Foundation
import PropertyTesting
import SeededRandom
import Testing
@testable import ClaimKit

/// Limit verdicts and frontiers on planted claims whose behaviour along the ladder is known.
struct LimitVerdictTests {
  /// One case: a scale and the seed of its noise.
  struct Scaled: Sendable, CustomStringConvertible {
    var scale = 1.0
    var seed: UInt64
    var description: String { "scale \(scale), seed \(seed)" }
    /// A multiplicative noise in [0.8, 1.2].
    var noise: Double {
      var generator = Xoshiro256StarStar(seed: seed)
      return 0.8 + 0.4 * generator.nextDouble()
    }
  }

  /// q(scale)·noise held to [0, bound] at every case, with `scale` a variable and the limit scale → 0.
  static func planted(_ code: String, bound: Double, noisy: Bool = true, _ q: @escaping @Sendable (Double) -> Double) -> Claim {
    let setting = ClaimSetting(cases: Gen<UInt64>.seed.map { Scaled(seed: $0) }, budget: .cases(12))
    return Claim.forEvery(
      id: "planted.\(code.lowercased())", code: code, paper: PaperReference("planted", 2026, arXiv: "none", at: "the limit tests"),
      statement: "q ≤ \(bound)", hypotheses: ["planted"], setting: setting, counter: setting.changingEachCase("scale 10") { $0.scale = 10 }
    ) { c in Measurement("q", q(c.scale) * (noisy ? c.noise : 1), expected: 0 ... bound) }
      .varying(SettingVariable<Scaled>("scale", meaning: "the planted scale") { $0.scale = $1 })
      .limit("scale", rungs: [1e-1, 1e-2, 1e-3, 1e-4], "scale → 0")
  }

  static let runner = PropertyRunner(configuration: RunConfiguration(profile: .quick, seed: 0x2a, parallelism: 1, database: nil))

  @Test func aClaimThatHoldsInTheLimitIsSaidToAndItsRateIsFitted() async throws {
    // q = scale: fails at 0.1 (q ≈ 0.1 > 0.05), holds from 1e-2 on, and falls like scale¹.
    let (rungs, verdict) = try await Self.planted("L1", bound: 0.05) { $0 }.runLimit(with: Self.runner)
    #expect(rungs.map(\.holds) == [false, true, true, true])
    #expect(verdict.outcome == .holdsInTheLimit && verdict.holdsFrom == 1e-2 && verdict.direction == .towards)
    let rate = try #require(verdict.rate)
    #expect(rate.lower <= 1 && 1 <= rate.upper, "\(rate)")
  }

  @Test func aClaimThatHoldsOnlyAtFiniteScaleIsSaidTo() async throws {
    // q = 1e-4/scale: holds at 0.1 and 0.01, fails from 1e-3 on, moving away.
    let (rungs, verdict) = try await Self.planted("L2", bound: 0.05) { 1e-4 / $0 }.runLimit(with: Self.runner)
    #expect(rungs.map(\.holds) == [true, true, false, false])
    #expect(verdict.outcome == .holdsOnlyAtFiniteScale && verdict.direction == .away)
    #expect(verdict.explanation.contains("holds up to 0.01"))
  }

  @Test func theOtherOutcomes() {
    func rung(_ value: Double, _ values: [Double], bound: Double = 1) -> LimitRung {
      LimitRung(value: value, holds: values.allSatisfy { $0 <= bound }, values: values, expected: 0 ... bound)
    }
    let spread = (0 ..< 10).map { Double($0) / 100 }
    // Holds everywhere but creeps up towards its bound: trend reversed.
    #expect(LimitVerdict.decide([1.0, 0.1, 0.01, 1e-3].enumerated().map { k, v in rung(v, spread.map { $0 + Double(k) * 0.2 }) }).outcome == .trendReversed)
    // Fails everywhere with no trend; fails at the end while moving towards the claim.
    #expect(LimitVerdict.decide([1.0, 0.1, 0.01].map { rung($0, spread.map { $0 + 2 }) }).outcome == .failsInTheLimit)
    #expect(LimitVerdict.decide([1.0, 0.1, 0.01].enumerated().map { k, v in rung(v, spread.map { $0 + 4 - Double(k) }) }).outcome == .inconclusive)
  }

  @Test func theFrontierBracketsTheKnownBoundary() async throws {
    // q = scale held to [0, 0.3]: holds below 0.3, fails above; noise-free, so the bracket holds 0.3.
    let claim = Self.planted("F1", bound: 0.3, noisy: false) { $0 }
    let frontier = try await claim.frontier(along: try #require(claim.variable(named: "scale")), from: 0.01, to: 1, tolerance: 0.01, with: Self.runner)
    let bracket = try #require(frontier.bracket)
    #expect(frontier.holdsBelow == true && frontier.geometric)
    #expect(bracket.contains(0.3) && bracket.upperBound / bracket.lowerBound <= 1.01 + 1e-12, "\(bracket)")
    // Same verdict at both ends: no boundary.
    let none = try await claim.frontier(along: try #require(claim.variable(named: "scale")), from: 0.01, to: 0.1, with: Self.runner)
    #expect(none.bracket == nil && none.summary.contains("holds at both ends"))
  }

  @Test func aVariableOfAnotherClaimsCasesIsADefinitionMistake() async throws {
    let claim = Self.planted("V1", bound: 1) { $0 }.varying(SettingVariable<Double>("other", meaning: "x") { $0 = $1 })
    #expect(!claim.variablesMatchTheCases)
    await #expect(throws: ClaimDefinitionError.self) {
      _ = try await claim.run(setting: try #require(claim.variable(named: "other")), to: 1, with: Self.runner)
    }
  }
}
