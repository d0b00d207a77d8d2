import LinearAlgebra
import Testing

struct NormTests {
  // σ = (3, 4) for diag(3, 4) rotated: norms are easy by hand.
  let a = Matrix([[0, 3], [4, 0]])

  @Test func handValues() throws {
    #expect(abs(a.frobeniusNorm - 5) < 1e-15)
    #expect(abs(try a.spectralNorm() - 4) < 1e-14)
    #expect(abs(try a.nuclearNorm() - 7) < 1e-14)
    #expect(abs(try a.schattenNorm(p: 2) - 5) < 1e-14)
    #expect(abs(try a.schattenNorm(p: 3) - cubeRoot(27 + 64)) < 1e-13)
    // Quasi-norm p = ½: (√3 + 2)².
    let half = (3.0.squareRoot() + 2) * (3.0.squareRoot() + 2)
    #expect(abs(try a.schattenNorm(p: 0.5) - half) < 1e-13)
    #expect(try a.schattenNorm(p: .infinity) == 4)
    #expect(a.maxAbsoluteElement == 4)
  }

  private func cubeRoot(_ x: Double) -> Double {
    // The real cube root by Newton's method, independent of the library's pow.
    var r = x / 3
    for _ in 0 ..< 100 { r -= (r * r * r - x) / (3 * r * r) }
    return r
  }

  @Test func schattenNormsAreNonIncreasingInP() throws {
    let sigma = try Matrix.gaussian(rows: 12, columns: 9, seed: 5).singularValues()
    let ps: [Double] = [0.1, 0.25, 0.5, 2.0 / 3, 1, 1.5, 2, 3, 5, 10, 100, 1000, .infinity]
    let norms = ps.map { SpectralFunctions.schattenNorm(sigma, p: $0) }
    for (larger, smaller) in zip(norms, norms.dropFirst()) {
      #expect(smaller <= larger * (1 + 1e-14))
    }
    #expect(abs(norms[4] - SpectralFunctions.nuclearNorm(sigma)) < 1e-12 * norms[4])
    // p → ∞ tends to σ_max.
    #expect(abs(norms[11] - sigma[0]) < 1e-2 * sigma[0])
  }

  @Test func schattenNormDoesNotOverflowOrUnderflow() {
    // (2·(1e200)⁴)^{1/4} = 2^{1/4}·1e200, although (1e200)⁴ overflows.
    let large = SpectralFunctions.schattenNorm([1e200, 1e200], p: 4)
    #expect(abs(large / 1e200 - 2.0.squareRoot().squareRoot()) < 1e-15)
    #expect(SpectralFunctions.schattenNorm([1e-200], p: 0.5) == 1e-200)
  }

  @Test(arguments: [1, 2, 5, 17])
  func effectiveRankOfIdentityIsItsSize(d: Int) throws {
    #expect(abs(try Matrix.identity(d).effectiveRank() - Double(d)) < 1e-12)
  }

  @Test func effectiveRankOfRankOneIsOne() throws {
    let u = Matrix.gaussian(rows: 8, columns: 1, seed: 1)
    let v = Matrix.gaussian(rows: 1, columns: 6, seed: 2)
    // Rounding leaves σ₂ ≈ 1e-16 σ₁, which moves the entropy by ~1e-14.
    #expect(abs(try (u * v).effectiveRank() - 1) < 1e-12)
  }

  @Test func effectiveRankHandValue() {
    // σ = (1, 1, 2): p = (¼, ¼, ½), H = 1.5 ln 2, erank = 2^{1.5}.
    #expect(abs(SpectralFunctions.effectiveRank([1, 1, 2]) - 8.0.squareRoot()) < 1e-14)
    #expect(SpectralFunctions.effectiveRank([3, 0, 0]) == 1)
    #expect(SpectralFunctions.effectiveRank([0, 0]) == 0)
  }

  @Test func numericalRankUsesTheStatedTolerance() throws {
    let m = Matrix.diagonal([1, 1e-3, 1e-9, 0])
    #expect(try m.numericalRank() == 3)
    #expect(try m.numericalRank(tolerance: 1e-6) == 2)
    #expect(try m.numericalRank(tolerance: 2) == 0)
  }
}
