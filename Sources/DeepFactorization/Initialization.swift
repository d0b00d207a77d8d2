public import LinearAlgebra
import SeededRandom
import RealModule

/// How the factors W_1 … W_N start.
///
/// The scale conventions follow the papers (see the notes' pitfalls: they differ between repos):
/// - `identity`: each factor scale^{1/N}·I (rectangular identity), so W(0) = scale·I; balanced.
/// - `gaussian` (Arora et al.): factor entries N(0, s²) with s = scale^{1/N}/√width, so
///   ‖W(0)‖_F ≈ scale·√width for square networks.
/// - `orthogonal`: Haar orthogonal factors times (scale·√width)^{1/N}; balanced.
/// - `balanced` (Razin & Cohen): the product is sampled with i.i.d. N(0, scale²) entries and split
///   through its SVD U Σ Vᵀ into W_1 = Σ^{1/N}Vᵀ, W_j = Σ^{1/N}, W_N = UΣ^{1/N} (zero-padded to the
///   width), which are exactly balanced; `determinant` resamples until det W(0) has that sign.
/// - `factors`: given explicitly.
public enum Initialization: Sendable, Equatable {
  /// scale^{1/N}·I in every factor.
  case identity(scale: Double)
  /// Arora et al.'s Gaussian initialisation.
  case gaussian(scale: Double, seed: UInt64)
  /// Random orthogonal factors.
  case orthogonal(scale: Double, seed: UInt64)
  /// An exactly balanced split of a sampled product, optionally with a prescribed determinant sign.
  case balanced(scale: Double, seed: UInt64, determinant: DeterminantSign?)
  /// The factors W_1 … W_N as given.
  case factors([Matrix])

  /// The sign a balanced initialisation's determinant is resampled to have.
  public enum DeterminantSign: String, Sendable, Equatable {
    /// det W(0) > 0.
    case positive
    /// det W(0) < 0.
    case negative
  }

  /// The factors for `shape`, or an error naming what does not fit.
  public func factors(for shape: NetworkShape) throws(InitializationError) -> [Matrix] {
    let n = shape.depth
    switch self {
    case .identity(let scale):
      let s = try root(scale, n)
      return (0 ..< n).map { j in
        let (r, c) = shape.factorShape(j)
        return Matrix.diagonal([Double](repeating: s, count: Swift.min(r, c)), rows: r, columns: c)
      }
    case .gaussian(let scale, let seed):
      let s = try root(scale, n) / Double(shape.width).squareRoot()
      var generator = Xoshiro256StarStar(seed: seed)
      return (0 ..< n).map { j in
        let (r, c) = shape.factorShape(j)
        return Matrix.gaussian(rows: r, columns: c, standardDeviation: s, using: &generator)
      }
    case .orthogonal(let scale, let seed):
      let s = try root(scale * Double(shape.width).squareRoot(), n)
      var generator = Xoshiro256StarStar(seed: seed)
      return (0 ..< n).map { j in
        let (r, c) = shape.factorShape(j)
        return Matrix.haarOrthonormal(rows: r, columns: c, using: &generator) * s
      }
    case .balanced(let scale, let seed, let sign):
      return try balancedFactors(shape: shape, scale: scale, seed: seed, sign: sign)
    case .factors(let factors):
      guard factors.count == n else { throw .wrongFactorCount(given: factors.count, depth: n) }
      for (j, factor) in factors.enumerated() {
        let (r, c) = shape.factorShape(j)
        guard factor.rows == r && factor.columns == c else {
          throw .wrongFactorShape(index: j, given: (factor.rows, factor.columns), expected: (r, c))
        }
        guard factor.isFinite else { throw .nonFinite(index: j) }
      }
      return factors
    }
  }

  private func root(_ scale: Double, _ n: Int) throws(InitializationError) -> Double {
    guard scale > 0 && scale.isFinite else { throw .nonPositiveScale(scale) }
    return Double.pow(scale, 1 / Double(n))
  }

  private func balancedFactors(shape: NetworkShape, scale: Double, seed: UInt64, sign: DeterminantSign?) throws(InitializationError) -> [Matrix] {
    guard scale > 0 && scale.isFinite else { throw .nonPositiveScale(scale) }
    let n = shape.depth, k = Swift.min(shape.rows, shape.columns)
    if sign != nil && shape.rows != shape.columns { throw .determinantOfRectangular(rows: shape.rows, columns: shape.columns) }
    if n > 1 && shape.width < k { throw .widthBelowRank(width: shape.width, rank: k) }
    var generator = Xoshiro256StarStar(seed: seed)
    var product = Matrix.gaussian(rows: shape.rows, columns: shape.columns, standardDeviation: scale, using: &generator)
    if let sign {
      var attempts = 1
      while true {
        let det = (try? product.determinant()) ?? 0
        if (sign == .positive && det > 0) || (sign == .negative && det < 0) { break }
        guard attempts < 1000 else { throw .determinantNotReached(sign) }
        // Resampling (rather than flipping a row) keeps the law: the product conditioned on the sign.
        product = Matrix.gaussian(rows: shape.rows, columns: shape.columns, standardDeviation: scale, using: &generator)
        attempts += 1
      }
    }
    if n == 1 { return [product] }
    guard let svd = try? product.svd() else { throw .nonFinite(index: 0) }
    let roots = svd.singularValues.map { Double.pow($0, 1 / Double(n)) }
    var factors: [Matrix] = []
    for j in 0 ..< n {
      let (r, c) = shape.factorShape(j)
      var factor = Matrix.zeros(r, c)
      if j == 0 {  // Σ^{1/N} Vᵀ in the first k rows
        for i in 0 ..< k { for col in 0 ..< c { factor[i, col] = roots[i] * svd.vt[i, col] } }
      } else if j == n - 1 {  // U Σ^{1/N} in the first k columns
        for col in 0 ..< k { for i in 0 ..< r { factor[i, col] = svd.u[i, col] * roots[col] } }
      } else {
        for i in 0 ..< k { factor[i, i] = roots[i] }
      }
      factors.append(factor)
    }
    return factors
  }
}

/// An initialisation that does not fit the network.
public enum InitializationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The scale must be positive and finite.
  case nonPositiveScale(Double)
  /// Explicit factors: the wrong number.
  case wrongFactorCount(given: Int, depth: Int)
  /// Explicit factors: factor `index` (0-based) has the wrong shape.
  case wrongFactorShape(index: Int, given: (Int, Int), expected: (Int, Int))
  /// Explicit factors: factor `index` holds NaN or infinity.
  case nonFinite(index: Int)
  /// A determinant sign was asked of a rectangular network.
  case determinantOfRectangular(rows: Int, columns: Int)
  /// A balanced split needs the width to hold the product's rank.
  case widthBelowRank(width: Int, rank: Int)
  /// 1000 resamples did not give the asked determinant sign.
  case determinantNotReached(Initialization.DeterminantSign)

  /// A one-line message.
  public var description: String {
    switch self {
    case .nonPositiveScale(let scale): "scale must be positive and finite, got \(scale)"
    case .wrongFactorCount(let given, let depth): "\(given) factors given for depth \(depth)"
    case .wrongFactorShape(let index, let given, let expected):
      "factor \(index + 1) is \(given.0)×\(given.1), expected \(expected.0)×\(expected.1)"
    case .nonFinite(let index): "factor \(index + 1) contains NaN or infinity"
    case .determinantOfRectangular(let rows, let columns): "a determinant sign needs a square target, this one is \(rows)×\(columns)"
    case .widthBelowRank(let width, let rank): "a balanced initialisation needs width ≥ \(rank), got \(width)"
    case .determinantNotReached(let sign): "no \(sign.rawValue) determinant in 1000 samples"
    }
  }

  public static func == (a: InitializationError, b: InitializationError) -> Bool {
    a.description == b.description
  }
}
