import LinearAlgebra
import Problems
import SeededRandom
import Testing

struct TargetsTests {
  @Test(arguments: [(5, 5), (9, 3), (3, 9), (30, 4), (1, 1)])
  func haarFramesAreOrthonormal(rows: Int, columns: Int) {
    let frame = Targets.haarFrame(rows: rows, columns: columns, seed: 7)
    let gram = rows >= columns ? Matrix.product(frame, frame, transposingLeft: true) : Matrix.product(frame, frame, transposingRight: true)
    #expect((gram - .identity(min(rows, columns))).maxAbsoluteElement < 1e-12)
  }

  /// Kolmogorov–Smirnov distance between samples and the uniform law on [−1, 1].
  static func ksAgainstUniform(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    let n = Double(sorted.count)
    var distance = 0.0
    for (i, x) in sorted.enumerated() {
      let cdf = (x + 1) / 2
      distance = max(distance, abs(cdf - Double(i) / n), abs(cdf - Double(i + 1) / n))
    }
    return distance
  }

  @Test func haarVectorsPassAKolmogorovSmirnovCheck() throws {
    // Archimedes: a uniform point on the sphere S² has a uniform first coordinate on [−1, 1].
    let n = 2000
    let firsts = (0 ..< n).map { Targets.haarFrame(rows: 3, columns: 1, seed: UInt64($0))[0, 0] }
    let critical = 1.63 / Double(n).squareRoot()  // α = 1 %
    #expect(Self.ksAgainstUniform(firsts) < critical)
    // Without Mezzadri's sign correction, LAPACK's Householder QR always makes that entry ≤ 0:
    // the same check then fails, which is why the correction is there.
    var generator = Xoshiro256StarStar(seed: 1)
    let raw = try (0 ..< n).map { _ in try Matrix.gaussian(rows: 3, columns: 1, using: &generator).qr().q[0, 0] }
    #expect(Self.ksAgainstUniform(raw) > 0.4)
  }

  @Test(arguments: [(8, 8, [3.0, 1.5]), (12, 5, [10.0, 5, 2.5]), (4, 9, [2.0, 2, 2, 1])])
  func prescribedSingularValuesAreExact(rows: Int, columns: Int, sigma: [Double]) throws {
    let w = Targets.lowRank(rows: rows, columns: columns, singularValues: sigma, seedU: 1, seedV: 2)
    let computed = try w.singularValues()
    for (i, value) in sigma.enumerated() { #expect(abs(computed[i] - value) < 1e-10) }
    for value in computed.dropFirst(sigma.count) { #expect(value < 1e-10) }
    let symmetric = Targets.lowRank(rows: 6, columns: 6, singularValues: [2, 1], seedU: 3, seedV: 0, symmetric: true)
    #expect((symmetric - symmetric.transposed()).maxAbsoluteElement < 1e-14)
  }

  @Test func aroraNormalisation() throws {
    let w = Targets.arora(rows: 30, columns: 30, rank: 2, seedU: 4, seedV: 5)
    #expect(abs(w.frobeniusNorm - 30) < 1e-10)
    #expect(try w.numericalRank() == 2)
    let rectangular = Targets.arora(rows: 20, columns: 45, rank: 3, seedU: 6, seedV: 7)
    #expect(abs(rectangular.frobeniusNorm - (20.0 * 45).squareRoot()) < 1e-10)
  }

  @Test func spectra() {
    #expect(Targets.equalSpectrum(rank: 3) == [1, 1, 1])
    let geometric = Targets.geometricSpectrum(rank: 3, largest: 4, conditionNumber: 16)
    #expect(abs(geometric[0] - 4) < 1e-15 && abs(geometric[1] - 1) < 1e-14 && abs(geometric[2] - 0.25) < 1e-15)
    #expect(Oversampling.degreesOfFreedom(rows: 30, columns: 30, rank: 2) == 116)
    #expect(Oversampling.observationCount(rows: 30, columns: 30, rank: 2, factor: 2.2) == 255)
    #expect(Oversampling.observationCount(rows: 3, columns: 3, rank: 2, factor: 3) == 9)
  }

  @Test func sensingVariants() throws {
    let gaussian = try Sensing.measurements(rows: 4, columns: 6, count: 3, variant: .gaussian, seed: 1)
    #expect(gaussian.count == 3 && gaussian.allSatisfy { $0.rows == 4 && $0.columns == 6 })
    let symmetric = try Sensing.measurements(rows: 5, columns: 5, count: 2, variant: .symmetric, seed: 1)
    #expect(symmetric.allSatisfy { ($0 - $0.transposed()).maxAbsoluteElement < 1e-15 })
    let diagonal = try Sensing.measurements(rows: 4, columns: 4, count: 2, variant: .diagonal, seed: 1)
    #expect((diagonal[0] * diagonal[1] - diagonal[1] * diagonal[0]).maxAbsoluteElement == 0)
    #expect(throws: InstanceError.self) { try Sensing.measurements(rows: 2, columns: 3, count: 1, variant: .diagonal, seed: 1) }
    // Arora et al.'s scale: entries N(0, 1/n²), so ‖A‖_F² ≈ 1.
    let large = try Sensing.measurements(rows: 40, columns: 40, count: 1, variant: .gaussian, seed: 2)[0]
    #expect(abs(large.frobeniusNorm - 1) < 0.05)
  }
}
