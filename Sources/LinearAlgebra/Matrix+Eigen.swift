internal import CLinearAlgebra
import RealModule

/// A symmetric eigendecomposition `A = V · diag(λ) · Vᵀ` with orthonormal V.
public struct SymmetricEigendecomposition: Sendable, Equatable {
  /// The eigenvalues in ascending order.
  public var values: [Double]
  /// Orthonormal eigenvectors, one per column, in the order of ``values``.
  public var vectors: Matrix

  /// V · diag(λ) · Vᵀ (up to rounding, the decomposed matrix).
  public var reconstructed: Matrix {
    vectors * Matrix.diagonal(values) * vectors.transposed()
  }
}

extension Matrix {
  /// The default tolerance of the symmetry check: √ε relative to ‖A‖_F.
  public static let defaultSymmetryTolerance = Double.ulpOfOne.squareRoot()

  /// ‖A − Aᵀ‖_F / ‖A‖_F, zero for the zero matrix.
  public var relativeAsymmetry: Double {
    precondition(isSquare, "asymmetry of a non-square \(rows)×\(columns) matrix")
    let norm = frobeniusNorm
    return norm == 0 ? 0 : (self - transposed()).frobeniusNorm / norm
  }

  /// The eigendecomposition of a symmetric matrix (`dsyevd`), eigenvalues ascending.
  ///
  /// LAPACK reads one triangle only, so a non-symmetric input would silently be answered for a
  /// different matrix; instead it is rejected when its relative asymmetry exceeds
  /// `symmetryTolerance`. Within the tolerance the upper triangle is used.
  ///
  /// - Precondition: the matrix is square.
  /// - Throws: ``LinearAlgebraError`` for NaN/infinite or non-symmetric input, or a LAPACK failure.
  public func symmetricEigen(symmetryTolerance: Double = Matrix.defaultSymmetryTolerance) throws(LinearAlgebraError) -> SymmetricEigendecomposition {
    precondition(isSquare, "symmetric eigendecomposition of a non-square \(rows)×\(columns) matrix")
    try LAPACKSupport.requireFinite(self, routine: "dsyevd")
    let asymmetry = relativeAsymmetry
    guard asymmetry <= symmetryTolerance else {
      throw .notSymmetric(routine: "dsyevd", relativeAsymmetry: asymmetry)
    }
    return try syevd(job: "V")
  }

  /// `LAPACKE_dsyevd` with the given job; internal so that tests can hand it an illegal job.
  internal func syevd(job: Unicode.Scalar) throws(LinearAlgebraError) -> SymmetricEigendecomposition {
    let n = rows
    guard n > 0 else { return SymmetricEigendecomposition(values: [], vectors: self) }
    OpenBLAS.ensureConfigured()
    var vectors = self
    var values = [Double](repeating: 0, count: n)
    let info = vectors.storage.withUnsafeMutableBufferPointer { pa in
      values.withUnsafeMutableBufferPointer { pw in
        LAPACKE_dsyevd(
          LAPACK_COL_MAJOR, LAPACKSupport.character(job), LAPACKSupport.character("U"),
          LAPACKSupport.int32(n), pa.baseAddress, LAPACKSupport.int32(n), pw.baseAddress)
      }
    }
    try LAPACKSupport.check(info, routine: "dsyevd")
    return SymmetricEigendecomposition(values: values, vectors: vectors)
  }

  /// A^p for a symmetric positive semidefinite A and p ≥ 0, as V · diag(max(λ, 0)^p) · Vᵀ.
  ///
  /// This is the (W Wᵀ)^{k/N} of the end-to-end dynamics. Rounding leaves computed PSD matrices
  /// (W Wᵀ from a product) with eigenvalues slightly below zero; eigenvalues down to
  /// −`negativeTolerance` are treated as zero. The default tolerance is 64·n·ε·max|λ|. A^0 is the
  /// identity, including on the kernel (the convention of the dynamics formula).
  ///
  /// - Precondition: square, and p ≥ 0.
  /// - Throws: ``LinearAlgebraError/notPositiveSemidefinite(smallestEigenvalue:tolerance:)`` when an
  ///   eigenvalue is below −tolerance, and the errors of ``symmetricEigen(symmetryTolerance:)``.
  public func positiveSemidefinitePower(_ p: Double, negativeTolerance: Double? = nil) throws(LinearAlgebraError) -> Matrix {
    precondition(p >= 0 && p.isFinite, "positiveSemidefinitePower needs a finite exponent p ≥ 0, got \(p)")
    let eigen = try symmetricEigen()
    let largest = eigen.values.map(abs).max() ?? 0
    let tolerance = negativeTolerance ?? (64 * Double(rows) * Double.ulpOfOne * largest)
    if let smallest = eigen.values.first, smallest < -tolerance {
      throw .notPositiveSemidefinite(smallestEigenvalue: smallest, tolerance: tolerance)
    }
    if p == 0 { return .identity(rows) }
    let powered = eigen.values.map { Double.pow(Swift.max($0, 0), p) }
    // V · diag(λᵖ) · Vᵀ, scaling the columns of V instead of forming diag.
    var scaled = eigen.vectors
    for j in 0 ..< rows {
      for i in 0 ..< rows { scaled.storage[i + j * rows] *= powered[j] }
    }
    var result = Matrix.product(scaled, eigen.vectors, transposingRight: true)
    result.symmetrize()
    return result
  }

  /// In place: replaces A by (A + Aᵀ)/2, making it exactly symmetric.
  public mutating func symmetrize() {
    precondition(isSquare, "symmetrize a non-square \(rows)×\(columns) matrix")
    let n = rows
    for j in 0 ..< n {
      for i in 0 ..< j {
        let mean = 0.5 * (storage[i + j * n] + storage[j + i * n])
        storage[i + j * n] = mean
        storage[j + i * n] = mean
      }
    }
  }
}
