import Foundation
import RealModule

/// A quantile of a measured quantity with a distribution-free confidence interval from order statistics.
public struct QuantileEstimate: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The quantile level q (0.5: the median).
  public var level: Double
  /// The sample quantile (the order statistic at rank ⌈q·n⌉).
  public var estimate: Double
  /// The interval's ends [X₍ₗ₎, X₍ᵤ₎], or nil when n is too small for any pair of order statistics to
  /// reach the confidence.
  public var lower: Double?
  /// See ``lower``.
  public var upper: Double?

  /// "q0.5 = 1.23 [1.1, 1.4]".
  public var description: String {
    let interval = lower.flatMap { l in upper.map { "[\(format(l)), \(format($0))]" } } ?? "[n too small]"
    return "q\(format(level)) = \(format(estimate)) \(interval)"
  }

  private func format(_ x: Double) -> String { String(format: "%.4g", x) }
}

/// Distribution-free confidence intervals for quantiles (Thompson 1936; e.g. Hahn & Meeker,
/// "Statistical Intervals", §5.2): for i.i.d. draws of a continuous quantity with q-quantile ξ,
/// the number of draws below ξ is Binomial(n, q), so P(X₍ₗ₎ ≤ ξ < X₍ᵤ₎) = P(l ≤ B < u), B ~ Bin(n, q).
public enum QuantileBounds {
  /// The q-quantile of `values` with the narrowest symmetric-in-probability pair of ranks (l, u)
  /// whose coverage P(l ≤ B < u) is at least `confidence`: l is the largest rank with P(B < l) ≤
  /// (1 − confidence)/2 and u the smallest with P(B ≥ u) ≤ (1 − confidence)/2. Nil ends when n is too small.
  public static func quantile(_ values: [Double], level q: Double, confidence: Double = 0.95) -> QuantileEstimate? {
    precondition(q > 0 && q < 1, "a quantile level must lie in (0, 1), got \(q)")
    let sorted = values.filter { !$0.isNaN }.sorted()
    let n = sorted.count
    guard n > 0 else { return nil }
    let rank = Swift.min(n, Swift.max(1, Int((q * Double(n)).rounded(.up))))
    let tail = (1 - confidence) / 2
    // cdf[k] = P(B ≤ k), k = 0…n.
    var cdf = [Double](repeating: 0, count: n + 1)
    var running = 0.0
    for k in 0 ... n {
      running += Double.exp(logBinomial(k, n, q))
      cdf[k] = Swift.min(1, running)
    }
    // l: the largest rank in 1…n with P(B ≤ l − 1) ≤ tail; u: the smallest rank with P(B ≥ u) = 1 − P(B ≤ u − 1) ≤ tail.
    let l = (1 ... n).last { cdf[$0 - 1] <= tail }
    let u = (1 ... n).first { 1 - cdf[$0 - 1] <= tail }
    return QuantileEstimate(level: q, estimate: sorted[rank - 1], lower: l.map { sorted[$0 - 1] }, upper: u.map { sorted[$0 - 1] })
  }

  private static func logBinomial(_ k: Int, _ n: Int, _ p: Double) -> Double {
    Double.logGamma(Double(n + 1)) - Double.logGamma(Double(k + 1)) - Double.logGamma(Double(n - k + 1))
      + Double(k) * Double.log(p) + Double(n - k) * Double.log(onePlus: -p)
  }
}
