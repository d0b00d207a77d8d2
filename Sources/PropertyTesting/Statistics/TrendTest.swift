import Foundation
import RealModule

/// Tests for a monotone trend of a quantity along an ordered ladder of groups (the rungs of a
/// claim's limit), and the power law it follows.
public enum TrendTest {
  /// The Jonckheere–Terpstra test of "no trend" against an ordered alternative (Jonckheere 1954;
  /// Hollander, Wolfe & Chicken, "Nonparametric Statistical Methods", §6.2).
  public struct Result: Sendable, Equatable, Codable {
    /// J: over every pair of groups i < j, the pairs (x from i, y from j) with y > x, ties counting ½.
    public var statistic: Double
    /// (J − 𝔼J)/√Var J under "no trend", with the variance corrected for ties (0 when every value ties).
    public var z: Double
    /// One-sided p-value (normal approximation) against values rising along the groups.
    public var pRising: Double
    /// One-sided p-value against values falling along the groups.
    public var pFalling: Double
  }

  /// J and its one-sided p-values for `groups` in ladder order (empty groups are left out).
  public static func jonckheere(_ groups: [[Double]]) -> Result {
    let groups = groups.map { $0.filter { !$0.isNaN } }.filter { !$0.isEmpty }
    var j = 0.0
    for a in groups.indices {
      for b in groups.indices where b > a {
        for x in groups[a] {
          for y in groups[b] { j += y > x ? 1 : (y == x ? 0.5 : 0) }
        }
      }
    }
    let sizes = groups.map { Double($0.count) }, n = sizes.reduce(0, +)
    // Tie groups over the pooled values.
    var ties: [Double] = []
    let pooled = groups.flatMap { $0 }.sorted()
    var k = 0
    while k < pooled.count {
      var end = k
      while end + 1 < pooled.count && pooled[end + 1] == pooled[k] { end += 1 }
      ties.append(Double(end - k + 1))
      k = end + 1
    }
    let mean = (n * n - sizes.reduce(0) { $0 + $1 * $1 }) / 4
    func f(_ m: Double) -> Double { m * (m - 1) * (2 * m + 5) }
    var variance = (f(n) - sizes.reduce(0) { $0 + f($1) } - ties.reduce(0) { $0 + f($1) }) / 72
    if n > 2 {
      variance += sizes.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) } * ties.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) } / (36 * n * (n - 1) * (n - 2))
    }
    if n > 1 {
      variance += sizes.reduce(0) { $0 + $1 * ($1 - 1) } * ties.reduce(0) { $0 + $1 * ($1 - 1) } / (8 * n * (n - 1))
    }
    let z = variance > 1e-12 ? (j - mean) / variance.squareRoot() : 0
    return Result(statistic: j, z: z, pRising: upperTail(z), pFalling: upperTail(-z))
  }

  /// P(Z > z) for a standard normal Z.
  public static func upperTail(_ z: Double) -> Double { 0.5 * Double.erfc(z / 2.0.squareRoot()) }

  /// A fitted power law |y| ∝ x^p: the least-squares slope of log|y| on log x with its 95 % interval.
  public struct PowerLaw: Sendable, Equatable, Codable {
    /// The exponent p.
    public var exponent: Double
    /// The 95 % interval of p (Student's t with n − 2 degrees of freedom).
    public var lower: Double, upper: Double
    /// The points fitted (positive x, non-zero finite y).
    public var points: Int
    /// log|y| at log x = 0 (the fitted line's intercept).
    public var intercept: Double
  }

  /// The power law through (x, y) on log–log axes, or nil with fewer than 4 usable points or fewer
  /// than 2 distinct x.
  public static func powerLaw(x: [Double], y: [Double]) -> PowerLaw? {
    let pairs = zip(x, y).filter { $0.0 > 0 && $0.0.isFinite && $0.1 != 0 && $0.1.isFinite }.map { (Double.log($0.0), Double.log(abs($0.1))) }
    let n = Double(pairs.count)
    guard pairs.count >= 4, Set(pairs.map(\.0)).count >= 2 else { return nil }
    let mx = pairs.reduce(0) { $0 + $1.0 } / n, my = pairs.reduce(0) { $0 + $1.1 } / n
    let sxx = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }, sxy = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
    let slope = sxy / sxx, intercept = my - slope * mx
    let residual = pairs.reduce(0) { $0 + pow($1.1 - intercept - slope * $1.0, 2) }
    let se = (residual / (n - 2) / sxx).squareRoot()
    let t = studentQuantile(0.975, degrees: n - 2)
    return PowerLaw(exponent: slope, lower: slope - t * se, upper: slope + t * se, points: pairs.count, intercept: intercept)
  }

  /// Student's t quantile by the Cornish–Fisher expansion about the normal quantile (Abramowitz &
  /// Stegun 26.7.5): within 0.5 % of the exact value from 3 degrees of freedom on.
  public static func studentQuantile(_ p: Double, degrees v: Double) -> Double {
    let z = normalQuantile(p)
    let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
      + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
      + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v)
  }

  /// The standard normal quantile, by bisection on ``upperTail(_:)`` (to 1e-12).
  public static func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "a normal quantile needs p in (0, 1), got \(p)")
    var (low, high) = (-40.0, 40.0)
    for _ in 0 ..< 200 {
      let middle = (low + high) / 2
      if 1 - upperTail(middle) < p { low = middle } else { high = middle }
    }
    return (low + high) / 2
  }
}
