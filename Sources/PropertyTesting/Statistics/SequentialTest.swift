import RealModule

/// The design of a statistical claim "X holds with probability ≥ p0": Wald's sequential probability
/// ratio test of H0: p = p0 against H1: p = p1 < p0, with error rates α (declaring a true claim
/// violated) and β (declaring a false one holding), truncated at a case budget.
///
/// [p1, p0] is the indifference zone: a true rate inside it may go either way.
public struct SPRTDesign: Hashable, Sendable, Codable {
  /// The claimed success probability.
  public var p0: Double
  /// The success probability that counts as a violation (p1 < p0).
  public var p1: Double
  /// The probability of declaring a claim with p ≥ p0 violated.
  public var alpha: Double
  /// The probability of declaring a claim with p ≤ p1 holding.
  public var beta: Double

  /// A design; p1 < p0, both in (0, 1), α and β in (0, ½).
  public init(p0: Double, p1: Double, alpha: Double = 0.01, beta: Double = 0.01) {
    precondition(p1 > 0 && p1 < p0 && p0 < 1, "an SPRT needs 0 < p1 < p0 < 1, got p0 = \(p0), p1 = \(p1)")
    precondition(alpha > 0 && alpha < 0.5 && beta > 0 && beta < 0.5, "α and β must lie in (0, ½), got \(alpha), \(beta)")
    self.p0 = p0
    self.p1 = p1
    self.alpha = alpha
    self.beta = beta
  }

  /// ln(p1/p0), the log-likelihood-ratio step of a success (negative).
  public var successStep: Double { Double.log(p1 / p0) }
  /// ln((1−p1)/(1−p0)), the step of a failure (positive).
  public var failureStep: Double { Double.log((1 - p1) / (1 - p0)) }
  /// A = ln((1−β)/α): at or above it the claim is violated.
  public var upperThreshold: Double { Double.log((1 - beta) / alpha) }
  /// B = ln(β/(1−α)): at or below it the claim holds.
  public var lowerThreshold: Double { Double.log(beta / (1 - alpha)) }

  /// The fewest cases after which the test can say "holds" (all of them successes).
  public var earliestHolds: Int { Int((lowerThreshold / successStep).rounded(.up)) }

  /// The fewest cases after which the test can say "violated" (all of them failures).
  public var earliestViolated: Int { Int((upperThreshold / failureStep).rounded(.up)) }

  /// Wald's approximation of the operating characteristic L(p) = P(declare holds | p).
  ///
  /// Solved through the auxiliary h with p·(p1/p0)^h + (1−p)·((1−p1)/(1−p0))^h = 1:
  /// L = (e^{hA} − 1)/(e^{hA} − e^{hB}).
  public func operatingCharacteristic(at p: Double) -> Double {
    func g(_ h: Double) -> Double { p * Double.exp(h * successStep) + (1 - p) * Double.exp(h * failureStep) - 1 }
    // g(0) = 0 always; the other root has the sign of the drift's opposite.
    let drift = p * successStep + (1 - p) * failureStep
    if abs(drift) < 1e-14 {
      return upperThreshold / (upperThreshold - lowerThreshold)
    }
    var lo = drift < 0 ? 1e-9 : -200.0, hi = drift < 0 ? 200.0 : -1e-9
    for _ in 0 ..< 200 {
      let mid = 0.5 * (lo + hi)
      // g is convex with g(0) = 0: positive beyond the non-zero root, negative between.
      if (g(mid) > 0) == (drift < 0) { hi = mid } else { lo = mid }
    }
    let h = 0.5 * (lo + hi)
    let ea = Double.exp(h * upperThreshold), eb = Double.exp(h * lowerThreshold)
    return (ea - 1) / (ea - eb)
  }

  /// The largest expected number of cases over every true success probability (on a grid of
  /// 0.01 … 0.99; the maximum lies inside the indifference zone, where the drift vanishes).
  public var largestExpectedSampleSize: Double {
    (1 ... 99).map { expectedSampleSize(at: Double($0) / 100) }.max() ?? 0
  }

  /// Wald's approximate expected number of cases when the true success probability is `p`.
  public func expectedSampleSize(at p: Double) -> Double {
    let drift = p * successStep + (1 - p) * failureStep
    let l = operatingCharacteristic(at: p)
    if abs(drift) < 1e-14 {
      return -lowerThreshold * upperThreshold / (p * successStep * successStep + (1 - p) * failureStep * failureStep)
    }
    return (l * lowerThreshold + (1 - l) * upperThreshold) / drift
  }
}

/// The state of one SPRT as cases arrive, in case-index order.
public struct SequentialTest: Hashable, Sendable, Codable {
  /// What the test says so far.
  public enum Decision: String, Hashable, Sendable, Codable {
    /// Keep drawing.
    case undecided
    /// Λ reached the lower line: the claim holds (p ≥ p0 accepted).
    case holds
    /// Λ reached the upper line: the claim is violated (p ≤ p1 accepted).
    case violated
  }

  /// The design.
  public let design: SPRTDesign
  /// Cases observed.
  public private(set) var trials = 0
  /// Cases in which the claim failed.
  public private(set) var failures = 0
  /// The log-likelihood ratio Λ of H1 over H0.
  public private(set) var logLikelihoodRatio = 0.0
  /// The decision, fixed once reached.
  public private(set) var decision = Decision.undecided

  /// A test with no observations.
  public init(design: SPRTDesign) {
    self.design = design
  }

  /// Adds one case; ignored once a decision is reached. Returns the decision.
  @discardableResult
  public mutating func observe(success: Bool) -> Decision {
    guard decision == .undecided else { return decision }
    trials += 1
    if success {
      logLikelihoodRatio += design.successStep
    } else {
      failures += 1
      logLikelihoodRatio += design.failureStep
    }
    if logLikelihoodRatio >= design.upperThreshold {
      decision = .violated
    } else if logLikelihoodRatio <= design.lowerThreshold {
      decision = .holds
    }
    return decision
  }

  /// Successes so far.
  public var successes: Int { trials - failures }
}
