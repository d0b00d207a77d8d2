import LinearAlgebra
import Testing

struct DecompositionTests {
  @Test func handComputedSVD() throws {
    // [[3, 0], [4, 5]] has singular values √45 and √5 (σ₁² + σ₂² = 50, σ₁σ₂ = 15).
    let sigma = try Matrix([[3, 0], [4, 5]]).singularValues()
    #expect(abs(sigma[0] - 45.0.squareRoot()) < 1e-14)
    #expect(abs(sigma[1] - 5.0.squareRoot()) < 1e-14)
    // A diagonal matrix: singular values are the sorted absolute diagonal.
    #expect(try Matrix.diagonal([1, -7, 3]).singularValues() == [7, 3, 1])
  }

  @Test(arguments: Shape.representative)
  func thinSVDReconstructsWithOrthonormalFactors(shape: Shape) throws {
    let a = shape.matrix(seed: 17)
    let decomposition = try a.svd()
    let k = min(shape.rows, shape.columns)
    #expect(decomposition.u.rows == shape.rows && decomposition.u.columns == k)
    #expect(decomposition.vt.rows == k && decomposition.vt.columns == shape.columns)
    let relative = (decomposition.reconstructed - a).frobeniusNorm / a.frobeniusNorm
    #expect(relative < 1e-12)
    #expect(Oracle.orthonormalityDefect(decomposition.u) < 1e-12)
    #expect(Oracle.orthonormalityDefect(decomposition.vt.transposed()) < 1e-12)
    let sigma = decomposition.singularValues
    #expect(zip(sigma, sigma.dropFirst()).allSatisfy { $0 >= $1 })
    #expect(sigma.allSatisfy { $0 >= 0 })
    if let rank = shape.rank {
      #expect(try a.numericalRank() == rank)
    }
    // The values-only path agrees with the thin one.
    let valuesOnly = try a.singularValues()
    #expect(zip(valuesOnly, sigma).allSatisfy { abs($0 - $1) <= 1e-12 * sigma[0] })
  }

  @Test(arguments: [Shape(rows: 7, columns: 3, rank: nil), Shape(rows: 3, columns: 7, rank: nil), Shape(rows: 6, columns: 6, rank: 2)])
  func fullSVDHasSquareOrthogonalFactors(shape: Shape) throws {
    let a = shape.matrix(seed: 23)
    let full = try a.fullSVD()
    #expect(full.u.rows == shape.rows && full.u.columns == shape.rows)
    #expect(full.vt.rows == shape.columns && full.vt.columns == shape.columns)
    #expect(Oracle.orthonormalityDefect(full.u) < 1e-12)
    #expect(Oracle.orthonormalityDefect(full.vt) < 1e-12)
    #expect((full.reconstructed - a).frobeniusNorm / a.frobeniusNorm < 1e-12)
  }

  @Test func handComputedSymmetricEigen() throws {
    let eigen = try Matrix([[2, 1], [1, 2]]).symmetricEigen()
    #expect(abs(eigen.values[0] - 1) < 1e-14 && abs(eigen.values[1] - 3) < 1e-14)
    // The eigenvector of 3 is ±(1, 1)/√2.
    #expect(abs(abs(eigen.vectors[0, 1]) - 0.5.squareRoot()) < 1e-14)
    #expect(abs(eigen.vectors[0, 1] - eigen.vectors[1, 1]) < 1e-14)
  }

  @Test(arguments: [1, 5, 30])
  func symmetricEigenReconstructs(n: Int) throws {
    let g = Matrix.gaussian(rows: n, columns: n, seed: UInt64(n))
    let a = g + g.transposed()
    let eigen = try a.symmetricEigen()
    #expect(zip(eigen.values, eigen.values.dropFirst()).allSatisfy { $0 <= $1 })
    #expect(Oracle.orthonormalityDefect(eigen.vectors) < 1e-12)
    #expect((eigen.reconstructed - a).frobeniusNorm / a.frobeniusNorm < 1e-12)
  }

  @Test func positiveSemidefinitePowers() throws {
    // A = W Wᵀ of a rank-deficient W: PSD with zero eigenvalues, as in (W Wᵀ)^{k/N}.
    let w = Oracle.lowRank(rows: 6, columns: 6, rank: 3, seed: 31)
    let a = Matrix.product(w, w, transposingRight: true)
    let root = try a.positiveSemidefinitePower(0.5)
    #expect((root * root - a).frobeniusNorm / a.frobeniusNorm < 1e-10)
    let third = try a.positiveSemidefinitePower(1.0 / 3)
    #expect((third * third * third - a).frobeniusNorm / a.frobeniusNorm < 1e-10)
    #expect(try a.positiveSemidefinitePower(1).isApproximatelyEqual(to: a, relativeTolerance: 1e-12))
    #expect(try a.positiveSemidefinitePower(0) == .identity(6))
    // Hand value: diag(4, 9)^{1/2} = diag(2, 3).
    #expect(try Matrix.diagonal([4, 9]).positiveSemidefinitePower(0.5).isApproximatelyEqual(to: .diagonal([2, 3]), relativeTolerance: 1e-14))
  }

  @Test func powersRejectIndefiniteAndAsymmetricMatrices() {
    #expect(throws: LinearAlgebraError.self) { try Matrix([[1, 0], [0, -1]]).positiveSemidefinitePower(0.5) }
    // ‖A − Aᵀ‖_F / ‖A‖_F = √2 for the shift [[0, 1], [0, 0]].
    #expect(throws: LinearAlgebraError.notSymmetric(routine: "dsyevd", relativeAsymmetry: 2.0.squareRoot())) {
      try Matrix([[0, 1], [0, 0]]).symmetricEigen()
    }
    // Rounding-level asymmetry (a computed W Wᵀ) is accepted.
    var nearlySymmetric = Matrix([[2, 1], [1, 2]])
    nearlySymmetric[0, 1] += 1e-15
    #expect(throws: Never.self) { try nearlySymmetric.symmetricEigen() }
  }

  @Test(arguments: Shape.representative)
  func qrReconstructsWithOrthonormalQAndTriangularR(shape: Shape) throws {
    let a = shape.matrix(seed: 41)
    let qr = try a.qr()
    let k = min(shape.rows, shape.columns)
    #expect(qr.q.rows == shape.rows && qr.q.columns == k)
    #expect(qr.r.rows == k && qr.r.columns == shape.columns)
    #expect(Oracle.orthonormalityDefect(qr.q) < 1e-12)
    #expect((qr.q * qr.r - a).frobeniusNorm / a.frobeniusNorm < 1e-12)
    for j in 0 ..< qr.r.columns {
      for i in 0 ..< qr.r.rows where i > j { #expect(qr.r[i, j] == 0) }
    }
  }

  @Test func handComputedDeterminants() throws {
    #expect(try Matrix([[0, 1], [1, 0]]).determinant() == -1)
    #expect(try Matrix([[2, 0, 0], [0, 3, 0], [0, 0, 4]]).determinant() == 24)
    // A row swap is needed for pivoting here; det = 1·(5·0 − 6·8) − 2·(4·0 − 6·7) + 3·(4·8 − 5·7) = −48 + 84 − 9.
    let a = Matrix([[1, 2, 3], [4, 5, 6], [7, 8, 0]])
    #expect(abs(try a.determinant() - 27) < 1e-12)
    #expect(try Matrix([[1, 2, 3], [2, 4, 6], [1, 1, 1]]).determinant() == 0)
    #expect(try Matrix([[1, 2], [3, 4]]).determinant() == -2)
  }

  @Test(arguments: [3, 8, 20])
  func determinantIsMultiplicativeAndFlipsUnderTranspose(n: Int) throws {
    let a = Matrix.gaussian(rows: n, columns: n, seed: UInt64(100 + n))
    let b = Matrix.gaussian(rows: n, columns: n, seed: UInt64(200 + n))
    let dab = try (a * b).determinant()
    let product = try a.determinant() * b.determinant()
    #expect(abs(dab - product) <= 1e-10 * abs(product))
    #expect(abs(try a.transposed().determinant() - a.determinant()) <= 1e-10 * abs(try a.determinant()))
    // Product of the eigenvalues of a symmetric matrix.
    let s = a + a.transposed()
    let eigenProduct = try s.symmetricEigen().values.reduce(1, *)
    #expect(abs(try s.determinant() - eigenProduct) <= 1e-9 * abs(eigenProduct))
  }
}

struct SolveTests {
  @Test func linearSolvesByHandAndAtRandom() throws {
    // [[2, 1], [1, 3]] x = [3, 5] has x = [0.8, 1.4].
    let a = Matrix([[2, 1], [1, 3]])
    let x = try a.solve(Matrix([[3], [5]]))
    #expect(abs(x[0, 0] - 0.8) < 1e-15 && abs(x[1, 0] - 1.4) < 1e-15)
    let viaCholesky = try a.cholesky().solve(Matrix([[3], [5]]))
    #expect((viaCholesky - x).maxAbsoluteElement < 1e-15)
    let g = Matrix.gaussian(rows: 20, columns: 20, seed: 3)
    let spd = Matrix.product(g, g, transposingLeft: true) + Matrix.identity(20)
    let b = Matrix.gaussian(rows: 20, columns: 3, seed: 4)
    #expect((spd * (try spd.cholesky().solve(b)) - b).frobeniusNorm < 1e-12 * b.frobeniusNorm * 100)
    #expect((g * (try g.solve(b)) - b).frobeniusNorm < 1e-10 * b.frobeniusNorm)
  }

  @Test func failuresThrow() {
    #expect(throws: LinearAlgebraError.lapack(routine: "dpotrf", info: 2)) { try Matrix([[1, 0], [0, -1]]).cholesky() }
    #expect(throws: LinearAlgebraError.lapack(routine: "dgesv", info: 2)) { try Matrix([[1, 2], [2, 4]]).solve(Matrix([[1], [1]])) }
  }
}
