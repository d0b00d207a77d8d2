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
