public import LinearAlgebra
import SeededRandom
import RealModule

/// Random targets: Haar frames, low-rank matrices with prescribed singular values, Arora et al.'s
/// generator, and spectra.
public enum Targets {
  /// `count` line seeds derived from one seed (row i gets child i).
  public static func lineSeeds(_ seed: UInt64, count: Int) -> [UInt64] {
    (0 ..< count).map { SeedDerivation.derive(seed, index: UInt64($0)) }
  }

  /// A Gaussian matrix with one row per seed: row i's `width` entries are N(0, 1) draws from
  /// its own seed (child `label`), so deleting a seed deletes exactly that row.
  public static func gaussianRows(seeds: [UInt64], width: Int, label: String) -> Matrix {
    var result = Matrix.zeros(seeds.count, width)
    for (i, seed) in seeds.enumerated() {
      var generator = Xoshiro256StarStar(seed: SeedDerivation.derive(seed, label))
      for j in 0 ..< width { result[i, j] = generator.nextGaussian() }
    }
    return result
  }

  /// A Haar-random frame with orthonormal columns, one row per seed: the sign-corrected QR of
  /// ``gaussianRows(seeds:width:label:)`` (needs `seeds.count ≥ width`).
  public static func haarFrame(rowSeeds: [UInt64], columns: Int, label: String = "frame") -> Matrix {
    orthonormalize(gaussianRows(seeds: rowSeeds, width: columns, label: label))
  }

  /// A Haar-random rows×columns frame from `seed` (orthonormal columns when rows ≥ columns).
  public static func haarFrame(rows: Int, columns: Int, seed: UInt64) -> Matrix {
    var generator = Xoshiro256StarStar(seed: seed)
    return Matrix.haarOrthonormal(rows: rows, columns: columns, using: &generator)
  }

  /// Q of the QR of a Gaussian matrix with the signs of R's diagonal moved into Q (Mezzadri).
  static func orthonormalize(_ gaussian: Matrix) -> Matrix {
    // A finite Gaussian matrix cannot make QR fail; a LAPACK failure here is a broken library.
    guard var qr = try? gaussian.qr() else { preconditionFailure("QR of a finite Gaussian matrix failed") }
    for j in 0 ..< qr.q.columns where qr.r[j, j] < 0 {
      for i in 0 ..< qr.q.rows { qr.q[i, j] = -qr.q[i, j] }
    }
    return qr.q
  }

  /// U diag(σ) Vᵀ with Haar frames U (rows×r) and V (columns×r) from per-line seeds; V = U when
  /// symmetric (square only).
  public static func lowRank(rowSeeds: [UInt64], columnSeeds: [UInt64], singularValues: [Double], symmetric: Bool = false) -> Matrix {
    let r = singularValues.count
    let u = haarFrame(rowSeeds: rowSeeds, columns: r, label: "U")
    let v = symmetric ? u : haarFrame(rowSeeds: columnSeeds, columns: r, label: "V")
    var scaled = u
    for j in 0 ..< r {
      for i in 0 ..< u.rows { scaled[i, j] *= singularValues[j] }
    }
    return Matrix.product(scaled, v, transposingRight: true)
  }

  /// U diag(σ) Vᵀ with Haar frames drawn from `seedU` and `seedV`.
  public static func lowRank(rows: Int, columns: Int, singularValues: [Double], seedU: UInt64, seedV: UInt64, symmetric: Bool = false) -> Matrix {
    lowRank(rowSeeds: lineSeeds(seedU, count: rows), columnSeeds: lineSeeds(seedV, count: columns), singularValues: singularValues, symmetric: symmetric)
  }

  /// Arora et al.'s ground truth: U Vᵀ/√r with i.i.d. N(0, 1) U (rows×r), V (columns×r), rescaled so
  /// that ‖W*‖_F = √(rows·columns) (entry RMS 1; ‖W*‖_F = n for n×n); V = U when symmetric.
  public static func arora(rowSeeds: [UInt64], columnSeeds: [UInt64], rank: Int, symmetric: Bool = false) -> Matrix {
    let u = gaussianRows(seeds: rowSeeds, width: rank, label: "U")
    let v = symmetric ? u : gaussianRows(seeds: columnSeeds, width: rank, label: "V")
    let w = Matrix.product(u, v, transposingRight: true) / Double(rank).squareRoot()
    return w * (Double(u.rows * v.rows).squareRoot() / w.frobeniusNorm)
  }

  /// Arora et al.'s ground truth drawn from `seedU` and `seedV`.
  public static func arora(rows: Int, columns: Int, rank: Int, seedU: UInt64, seedV: UInt64, symmetric: Bool = false) -> Matrix {
    arora(rowSeeds: lineSeeds(seedU, count: rows), columnSeeds: lineSeeds(seedV, count: columns), rank: rank, symmetric: symmetric)
  }

  /// r equal singular values.
  public static func equalSpectrum(rank: Int, value: Double = 1) -> [Double] {
    [Double](repeating: value, count: rank)
  }

  /// σᵢ = largest · κ^{−(i−1)/(r−1)}: geometric from `largest` down to largest/κ.
  public static func geometricSpectrum(rank: Int, largest: Double = 1, conditionNumber: Double) -> [Double] {
    guard rank > 1 else { return [largest] }
    return (0 ..< rank).map { largest * Double.pow(conditionNumber, -Double($0) / Double(rank - 1)) }
  }
}

