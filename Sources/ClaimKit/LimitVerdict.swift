public import PropertyTesting

/// One rung of a limit ladder: the claim decided with the variable at one value.
public struct LimitRung: Sendable, Codable, Equatable {
  /// The variable's value.
  public var value: Double
  /// The claim's verdict there.
  public var verdict: PropertyResult.Verdict
  /// Whether that verdict is a pass (`passed` or `holds`).
  public var holds: Bool
  /// The primary measured quantity of every counted case, in case order.
  public var values: [Double]
  /// The interval the quantity is held to.
  public var expectedLower: Double?, expectedUpper: Double?
  /// The cases run and those whose measurement held.
  public var casesRun: Int, casesPassed: Int
  /// An every-instance rung's failure: the minimal case, its message and its replay token.
  public var failure: String?

  /// The rung from the claim's result at `value`.
  public init(value: Double, result: PropertyResult) {
    failure = result.failure.map { "\($0.minimalCase): \($0.message) (replay: DMF_REPLAY=\($0.token))" }
    self.value = value
    verdict = result.verdict
    holds = result.verdict == .passed || result.verdict == .holds
    let primary = result.measurements.first
    values = primary?.values ?? []
    expectedLower = primary?.expectedLower
    expectedUpper = primary?.expectedUpper
    casesRun = result.casesRun
    casesPassed = result.casesPassed
  }

  /// A rung from its parts (tests, planted ladders).
  public init(value: Double, holds: Bool, values: [Double], expected: ClosedRange<Double>) {
    self.value = value
    verdict = holds ? .passed : .failed
    self.holds = holds
    self.values = values
    expectedLower = expected.lowerBound
    expectedUpper = expected.upperBound
    casesRun = values.count
    casesPassed = values.filter { expected.contains($0) }.count
  }
}

/// What a claim's ladder says about its limit: the claim decided at each rung, the trend of its
/// measured quantity towards the limit (Jonckheere–Terpstra, ``TrendTest``), the rate at which it
/// moves (a power law in the variable) and one of five outcomes.
///
/// "Towards the claim" is read from the quantity's interval: falling for an upper bound ([0, b] or
/// (−∞, b]), rising for a lower bound ([a, ∞)), and a falling distance to the interval's middle for a
/// two-sided one. The trend is tested both ways at level α/2 each (α = 0.01 by default): on a ladder
/// with no trend, either alarm sounds with probability at most α.
public struct LimitVerdict: Sendable, Codable, Equatable {
  /// The five outcomes.
  public enum Outcome: String, Sendable, Codable, CaseIterable {
    /// Holds at the last rung and from some rung on, and the quantity does not move away.
    case holdsInTheLimit = "holds in the limit"
    /// Holds at some rungs but not at the last, and the quantity moves away from the claim.
    case holdsOnlyAtFiniteScale = "holds only at finite scale"
    /// Holds at the last rung, but the quantity moves away from the claim along the ladder.
    case trendReversed = "trend reversed"
    /// Holds at no rung, and the quantity does not move towards the claim.
    case failsInTheLimit = "fails in the limit"
    /// Anything else: fails at the last rung with no significant trend, or while moving towards the claim.
    case inconclusive
  }

  /// Which way the quantity moves along the ladder, at the test's level.
  public enum Direction: String, Sendable, Codable {
    case towards, away, none
  }

  /// Which way is "towards the claim", read from the interval its quantity is held to.
  public enum Orientation: Sendable, Codable, Equatable {
    /// [0, b] or (−∞, b]: falling is towards.
    case upperBound(Double)
    /// [a, ∞): rising is towards.
    case lowerBound(Double)
    /// [a, b] with a > 0: a falling distance to the middle is towards.
    case interval(ClosedRange<Double>)
    /// (−∞, ∞): no direction.
    case none

    /// The orientation of the interval [lower, upper].
    public init(lower: Double, upper: Double) {
      if upper.isFinite && (lower <= 0 || !lower.isFinite) {
        self = .upperBound(upper)
      } else if lower.isFinite && !upper.isFinite {
        self = .lowerBound(lower)
      } else if lower.isFinite && upper.isFinite {
        self = .interval(lower ... upper)
      } else {
        self = .none
      }
    }

    /// The quantity turned so that smaller is nearer the claim.
    public func oriented(_ value: Double) -> Double {
      switch self {
      case .upperBound: value
      case .lowerBound: -value
      case .interval(let range): abs(value - (range.lowerBound + range.upperBound) / 2)
      case .none: 0
      }
    }

    /// What a power law fitted to |oriented value| describes.
    public var rateOf: String {
      switch self {
      case .upperBound, .lowerBound: "the quantity"
      case .interval(let range): "the distance to the interval's middle \(format((range.lowerBound + range.upperBound) / 2))"
      case .none: "nothing (the quantity has no interval)"
      }
    }
  }

  /// The outcome.
  public var outcome: Outcome
  /// Why, in words, naming the rung.
  public var explanation: String
  /// The first rung of the final stretch of rungs that hold (nil when the last does not).
  public var holdsFrom: Double?
  /// The trend's direction and test.
  public var direction: Direction
  /// The test on the oriented quantity (rising = away from the claim).
  public var trend: TrendTest.Result
  /// The level α of the two one-sided tests together.
  public var level: Double
  /// The oriented quantity's power law in the variable (|q| ∝ value^p), when one can be fitted.
  public var rate: TrendTest.PowerLaw?
  /// Which way is towards the claim.
  public var orientation: Orientation
  /// What the rate is a rate of ("the quantity", "the distance to the interval's middle").
  public var rateOf: String { orientation.rateOf }

  /// The verdict of `rungs` (far to near the limit) at level `level`.
  public static func decide(_ rungs: [LimitRung], level: Double = 0.01) -> LimitVerdict {
    precondition(!rungs.isEmpty, "a ladder has rungs")
    let lower = rungs.compactMap(\.expectedLower).first ?? -.infinity, upper = rungs.compactMap(\.expectedUpper).first ?? .infinity
    let orientation = Orientation(lower: lower, upper: upper)
    let groups = rungs.map { $0.values.map(orientation.oriented) }
    let trend = TrendTest.jonckheere(groups)
    let direction: Direction = trend.pFalling < level / 2 ? .towards : (trend.pRising < level / 2 ? .away : .none)
    let x = rungs.flatMap { rung in rung.values.map { _ in rung.value } }
    let rate = TrendTest.powerLaw(x: x, y: groups.flatMap { $0 })
    let holds = rungs.map(\.holds)
    let trendText = switch direction {
    case .towards: "the quantity moves towards the claim (one-sided p = \(format(trend.pFalling)))"
    case .away: "the quantity moves away from the claim (one-sided p = \(format(trend.pRising)))"
    case .none: "no significant trend (p = \(format(min(trend.pFalling, trend.pRising))) each way, level \(format(level / 2)))"
    }
    var start = holds.count
    while start > 0 && holds[start - 1] { start -= 1 }
    let holdsFrom = start < holds.count ? rungs[start].value : nil
    let outcome: Outcome, explanation: String
    if holds.last! {
      if direction == .away {
        outcome = .trendReversed
        explanation = "holds from \(format(rungs[start].value)) to the last rung, but \(trendText): further on it would stop holding"
      } else {
        outcome = .holdsInTheLimit
        explanation = "holds from \(format(rungs[start].value)) to the last rung (\(format(rungs.last!.value))); \(trendText)"
      }
    } else if holds.contains(true) && direction == .away {
      outcome = .holdsOnlyAtFiniteScale
      let last = rungs.lastIndex { $0.holds }!
      explanation = "holds up to \(format(rungs[last].value)), fails from \(format(rungs[last + 1].value)) on; \(trendText)"
    } else if !holds.contains(true) && direction != .towards {
      outcome = .failsInTheLimit
      explanation = "fails at every rung; \(trendText)"
    } else {
      outcome = .inconclusive
      explanation = direction == .towards
        ? "fails at the last rung (\(format(rungs.last!.value))) while \(trendText): it may hold beyond the ladder"
        : "fails at the last rung (\(format(rungs.last!.value))) with \(trendText)"
    }
    return LimitVerdict(
      outcome: outcome, explanation: explanation, holdsFrom: holdsFrom, direction: direction, trend: trend, level: level, rate: rate, orientation: orientation)
  }
}
