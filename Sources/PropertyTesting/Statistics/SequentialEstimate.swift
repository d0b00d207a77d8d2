/// A statistical claim's cases as they arrive: the SPRT that decides the verdict, and the estimate of
/// the success rate that goes on after the decision until an anytime-valid interval is narrow enough.
///
/// The SPRT sees cases until it decides; the estimate sees every case. After the decision a profile
/// with a precision target keeps drawing while the 95 % confidence sequence's half-width exceeds the
/// target and the budget allows. Because the confidence sequence is valid at every n, stopping on its
/// width (or on the SPRT's decision before it) does not invalidate it.
public struct SequentialEstimate: Hashable, Sendable {
  /// Why sampling ended, as far as the estimate is concerned.
  public enum PrecisionStop: String, Hashable, Sendable, Codable {
    /// The profile asks for no precision (the SPRT's stop is the only one).
    case notRequested = "not-requested"
    /// The confidence sequence's half-width reached the target.
    case reached
    /// The case budget ran out first.
    case budget
    /// Sampling has not ended.
    case sampling
  }

  /// The verdict's test; it ignores cases after its decision.
  public private(set) var test: SequentialTest
  /// Every case observed.
  public private(set) var trials = 0
  /// Cases in which the claim held.
  public private(set) var successes = 0
  /// The SPRT's number of cases at its decision (nil while undecided).
  public private(set) var decidedAfter: Int?
  /// The case budget.
  public let budget: Int
  /// The half-width the confidence sequence must reach after the decision (nil: stop at the decision).
  public let precisionTarget: Double?

  /// An estimate with no observations.
  public init(design: SPRTDesign, budget: Int, precisionTarget: Double?) {
    test = SequentialTest(design: design)
    self.budget = budget
    self.precisionTarget = precisionTarget
  }

  /// Adds one case; returns whether to draw another.
  @discardableResult
  public mutating func observe(success: Bool) -> Bool {
    trials += 1
    if success { successes += 1 }
    if test.decision == .undecided {
      test.observe(success: success)
      if test.decision != .undecided { decidedAfter = test.trials }
    }
    return wantsMore
  }

  /// Whether another case is wanted: while the SPRT is undecided, and after its decision while the
  /// precision target is unmet; never past the budget.
  public var wantsMore: Bool {
    guard trials < budget else { return false }
    if test.decision == .undecided { return true }
    guard let precisionTarget else { return false }
    return halfWidth > precisionTarget
  }

  /// The 95 % anytime-valid interval for the rate (``BinomialBounds/confidenceSequence(successes:trials:confidence:)``).
  public var confidenceSequence95: ProbabilityInterval {
    BinomialBounds.confidenceSequence(successes: successes, trials: trials, confidence: 0.95)
  }

  /// Half the confidence sequence's width.
  public var halfWidth: Double {
    let interval = confidenceSequence95
    return (interval.upper - interval.lower) / 2
  }

  /// Why sampling ended (or that it has not).
  public var precisionStop: PrecisionStop {
    if wantsMore { return .sampling }
    guard let precisionTarget, test.decision != .undecided else { return precisionTarget == nil ? .notRequested : .budget }
    return halfWidth <= precisionTarget ? .reached : .budget
  }
}
