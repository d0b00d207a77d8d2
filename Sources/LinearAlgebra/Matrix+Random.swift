public import SeededRandom

extension Matrix {
  /// A matrix with i.i.d. N(0, standardDeviation²) entries from the project's seeded generator.
  ///
  /// Entries are drawn in column-major order, so the same generator state gives the same matrix
  /// on every machine.
  public static func gaussian(
    rows: Int, columns: Int, standardDeviation: Double = 1,
    using generator: inout Xoshiro256StarStar
  ) -> Matrix {
    var result = Matrix(rows: rows, columns: columns)
    for index in 0 ..< rows * columns {
      result.storage[index] = standardDeviation * generator.nextGaussian()
    }
    return result
  }

  /// A matrix with i.i.d. N(0, standardDeviation²) entries drawn from a generator seeded with `seed`.
  public static func gaussian(rows: Int, columns: Int, standardDeviation: Double = 1, seed: UInt64) -> Matrix {
    var generator = Xoshiro256StarStar(seed: seed)
    return gaussian(rows: rows, columns: columns, standardDeviation: standardDeviation, using: &generator)
  }
}

extension Matrix {
  /// A Haar-distributed orthonormal frame: rows×columns with orthonormal columns (rows ≥ columns)
  /// or orthonormal rows (rows < columns).
  ///
  /// QR of a Gaussian matrix with the signs of R's diagonal moved into Q (Mezzadri's correction;
  /// without it the distribution depends on LAPACK's sign convention and is not Haar).
  public static func haarOrthonormal(rows: Int, columns: Int, using generator: inout Xoshiro256StarStar) -> Matrix {
    if rows < columns {
      return haarOrthonormal(rows: columns, columns: rows, using: &generator).transposed()
    }
    let gaussian = Matrix.gaussian(rows: rows, columns: columns, using: &generator)
    // A Gaussian matrix is finite, so QR cannot meet NaN; LAPACK failure here is a broken library.
    guard var qr = try? gaussian.qr() else { preconditionFailure("QR of a finite Gaussian matrix failed") }
    for j in 0 ..< columns where qr.r[j, j] < 0 {
      for i in 0 ..< rows { qr.q[i, j] = -qr.q[i, j] }
    }
    return qr.q
  }
}
