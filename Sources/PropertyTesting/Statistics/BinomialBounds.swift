import RealModule

/// A confidence interval for a success probability.
public struct ProbabilityInterval: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The lower bound.
  public var lower: Double
  /// The upper bound.
  public var upper: Double

  /// `[lower, upper]` with three decimals.
  public var description: String {
    "[\(Self.format(lower)), \(Self.format(upper))]"
  }

  static func format(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return "\(scaled)"
  }
}

/// Interval estimates for a binomial proportion: Wilson's score interval and the exact
/// Clopper–Pearson interval (valid at a fixed number of trials), the anytime-valid mixture confidence
/// sequence (valid under any stopping rule), and the normal quantile they need.
public enum BinomialBounds {
  /// Φ⁻¹(p), the standard normal quantile, for 0 < p < 1.
  ///
  /// Acklam's rational approximation (relative error 1.15e-9) followed by one Halley step on
  /// erfc, which brings it to full double precision in the tails that matter here.
  public static func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1, got \(p)")
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425, high = 1 - low
    var x: Double
    if p < low {
      let q = (-2 * Double.log(p)).squareRoot()
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= high {
      let q = p - 0.5, r = q * q
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * Double.log(1 - p)).squareRoot()
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    // One Halley refinement step.
    let e = 0.5 * Double.erfc(-x / 2.0.squareRoot()) - p
    let u = e * (2 * Double.pi).squareRoot() * Double.exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
  }

  /// The two-sided Wilson score interval for `successes` out of `trials` at `confidence`.
  ///
  /// center = (p̂ + z²/2n)/(1 + z²/n), half-width = z·√(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n), with
  /// z = Φ⁻¹(1 − (1 − confidence)/2); divided by (1 + z²/n) once. With no trials, [0, 1].
  public static func wilson(successes: Int, trials: Int, confidence: Double = 0.95) -> ProbabilityInterval {
    precondition(successes >= 0 && successes <= trials, "Wilson interval of \(successes) successes in \(trials) trials")
    guard trials > 0 else { return ProbabilityInterval(lower: 0, upper: 1) }
    let n = Double(trials), pHat = Double(successes) / n
    let z = normalQuantile(1 - (1 - confidence) / 2)
    let z2 = z * z
    let denominator = 1 + z2 / n
    let center = (pHat + z2 / (2 * n)) / denominator
    let half = z * (pHat * (1 - pHat) / n + z2 / (4 * n * n)).squareRoot() / denominator
    return ProbabilityInterval(lower: Swift.max(0, center - half), upper: Swift.min(1, center + half))
  }

  /// The exact (Clopper–Pearson) two-sided interval at `confidence`, by bisection on binomial tails.
  ///
  /// The lower bound solves P(X ≥ k; p) = (1 − confidence)/2 and the upper bound
  /// P(X ≤ k; p) = (1 − confidence)/2, X ~ Binomial(n, p); 0 when k = 0 and 1 when k = n.
  public static func clopperPearson(successes: Int, trials: Int, confidence: Double = 0.95) -> ProbabilityInterval {
    precondition(successes >= 0 && successes <= trials, "Clopper–Pearson interval of \(successes) successes in \(trials) trials")
    guard trials > 0 else { return ProbabilityInterval(lower: 0, upper: 1) }
    let tail = (1 - confidence) / 2
    let lower = successes == 0 ? 0 : bisect { p in upperTail(successes, trials, p) - tail }
    let upper = successes == trials ? 1 : bisect { p in tail - lowerTail(successes, trials, p) }
    return ProbabilityInterval(lower: lower, upper: upper)
  }

  /// The one-sided exact lower confidence bound on p: P(X ≥ k; p_L) = 1 − confidence.
  public static func clopperPearsonLowerBound(successes: Int, trials: Int, confidence: Double) -> Double {
    guard successes > 0 else { return 0 }
    let alpha = 1 - confidence
    return bisect { p in upperTail(successes, trials, p) - alpha }
  }

  /// An anytime-valid confidence sequence for the success rate: Robbins' beta-binomial mixture
  /// (Howard, Ramdas, McAuliffe & Sekhon 2021, "Time-uniform, nonparametric, nonasymptotic confidence
  /// sequences", §3), with a Beta(½, ½) mixing distribution.
  ///
  /// For each p, M_n(p) = B(½ + S, ½ + n − S)/B(½, ½) ÷ (p^S (1 − p)^{n−S}) is a nonnegative martingale
  /// with mean 1 when p is the true rate, so by Ville's inequality P(∃n: M_n(p) ≥ 1/(1 − confidence))
  /// ≤ 1 − confidence. The interval {p : M_n(p) < 1/(1 − confidence)} therefore covers the true rate
  /// at every n at once: after a sequential test's data-dependent stop, after continued sampling, and
  /// at any n a reader chooses to look at, which a fixed-n interval (Wilson, Clopper–Pearson) does not.
  /// log M_n is convex in p, so the set is an interval around p̂; its ends are found by bisection.
  /// With no trials, [0, 1].
  public static func confidenceSequence(successes: Int, trials: Int, confidence: Double = 0.95) -> ProbabilityInterval {
    precondition(successes >= 0 && successes <= trials, "confidence sequence of \(successes) successes in \(trials) trials")
    precondition(confidence > 0 && confidence < 1, "the confidence must lie in (0, 1), got \(confidence)")
    guard trials > 0 else { return ProbabilityInterval(lower: 0, upper: 1) }
    let s = Double(successes), f = Double(trials - successes)
    let logMixture = logBeta(0.5 + s, 0.5 + f) - logBeta(0.5, 0.5)
    let threshold = -Double.log(1 - confidence)
    // g(p) = log M_n(p) − log(1/(1 − confidence)): negative inside the set.
    func g(_ p: Double) -> Double {
      var logLikelihood = 0.0
      if successes > 0 { logLikelihood += s * Double.log(p) }
      if successes < trials { logLikelihood += f * Double.log(onePlus: -p) }
      return logMixture - logLikelihood - threshold
    }
    let pHat = s / Double(trials)
    // g(p̂) < 0 always (the mixture is below the maximum likelihood), so each side has one crossing.
    func crossing(inside: Double, outside: Double) -> Double {
      var inside = inside, outside = outside
      for _ in 0 ..< 200 {
        let mid = 0.5 * (inside + outside)
        if mid == inside || mid == outside { break }
        if g(mid) < 0 { inside = mid } else { outside = mid }
      }
      return 0.5 * (inside + outside)
    }
    let lower = successes == 0 || g(Double.leastNormalMagnitude) < 0 ? 0 : crossing(inside: pHat, outside: 0)
    let upper = successes == trials || g(1 - Double.ulpOfOne / 2) < 0 ? 1 : crossing(inside: pHat, outside: 1)
    return ProbabilityInterval(lower: lower, upper: upper)
  }

  /// log B(a, b).
  static func logBeta(_ a: Double, _ b: Double) -> Double {
    Double.logGamma(a) + Double.logGamma(b) - Double.logGamma(a + b)
  }

  /// Finds the root of an increasing function on (0, 1).
  private static func bisect(_ f: (Double) -> Double) -> Double {
    var lo = 0.0, hi = 1.0
    for _ in 0 ..< 200 {
      let mid = 0.5 * (lo + hi)
      if mid == lo || mid == hi { break }
      if f(mid) < 0 { lo = mid } else { hi = mid }
    }
    return 0.5 * (lo + hi)
  }

  /// log C(n, k) + k log p + (n − k) log(1 − p).
  private static func logTerm(_ k: Int, _ n: Int, _ p: Double) -> Double {
    Double.logGamma(Double(n + 1)) - Double.logGamma(Double(k + 1)) - Double.logGamma(Double(n - k + 1))
      + Double(k) * Double.log(p) + Double(n - k) * Double.log(onePlus: -p)
  }

  /// P(X ≥ k) for X ~ Binomial(n, p), summed in log space.
  static func upperTail(_ k: Int, _ n: Int, _ p: Double) -> Double {
    guard p > 0 else { return k <= 0 ? 1 : 0 }
    guard p < 1 else { return 1 }
    var sum = 0.0
    for j in k ... n { sum += Double.exp(logTerm(j, n, p)) }
    return Swift.min(1, sum)
  }

  /// P(X ≤ k) for X ~ Binomial(n, p).
  static func lowerTail(_ k: Int, _ n: Int, _ p: Double) -> Double {
    guard p > 0 else { return 1 }
    guard p < 1 else { return k >= n ? 1 : 0 }
    var sum = 0.0
    for j in 0 ... k { sum += Double.exp(logTerm(j, n, p)) }
    return Swift.min(1, sum)
  }
}
