internal import CLinearAlgebra

/// A Cholesky factorization A = L Lᵀ of a symmetric positive definite matrix, for repeated solves.
public struct CholeskyFactorization: Sendable {
  /// The factor, stored in the lower triangle (LAPACK's layout; the upper triangle is ignored).
  let factor: Matrix

  /// Solves A X = B for X.
  public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
    precondition(b.rows == factor.rows, "solve with a \(factor.rows)×\(factor.rows) factorization and a \(b.rows)×\(b.columns) right-hand side")
    try LAPACKSupport.requireFinite(b, routine: "dpotrs")
    guard b.count > 0 else { return b }
    OpenBLAS.ensureConfigured()
    var x = b
    let n = LAPACKSupport.int32(factor.rows)
    let info = factor.storage.withUnsafeBufferPointer { pa in
      x.storage.withUnsafeMutableBufferPointer { px in
        LAPACKE_dpotrs(LAPACK_COL_MAJOR, LAPACKSupport.character("L"), n, LAPACKSupport.int32(b.columns), pa.baseAddress, n, px.baseAddress, n)
      }
    }
    try LAPACKSupport.check(info, routine: "dpotrs")
    return x
  }
}

extension Matrix {
  /// The Cholesky factorization of a symmetric positive definite matrix (`dpotrf`, lower).
  ///
  /// - Throws: ``LinearAlgebraError/lapack(routine:info:)`` with info > 0 when the matrix is not
  ///   positive definite (the order of the failing leading minor), and for NaN/infinite input.
  public func cholesky() throws(LinearAlgebraError) -> CholeskyFactorization {
    precondition(isSquare, "Cholesky factorization of a non-square \(rows)×\(columns) matrix")
    try LAPACKSupport.requireFinite(self, routine: "dpotrf")
    guard rows > 0 else { return CholeskyFactorization(factor: self) }
    OpenBLAS.ensureConfigured()
    var factor = self
    let n = LAPACKSupport.int32(rows)
    let info = factor.storage.withUnsafeMutableBufferPointer { pa in
      LAPACKE_dpotrf(LAPACK_COL_MAJOR, LAPACKSupport.character("L"), n, pa.baseAddress, n)
    }
    try LAPACKSupport.check(info, routine: "dpotrf")
    return CholeskyFactorization(factor: factor)
  }

  /// Solves A X = B for square A by LU with partial pivoting (`dgesv`).
  ///
  /// - Throws: ``LinearAlgebraError/lapack(routine:info:)`` with info > 0 when A is exactly singular.
  public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
    precondition(isSquare, "solve with a non-square \(rows)×\(columns) matrix")
    precondition(b.rows == rows, "solve with a \(rows)×\(columns) matrix and a \(b.rows)×\(b.columns) right-hand side")
    try LAPACKSupport.requireFinite(self, routine: "dgesv")
    try LAPACKSupport.requireFinite(b, routine: "dgesv")
    guard rows > 0 && b.columns > 0 else { return b }
    OpenBLAS.ensureConfigured()
    var lu = self
    var x = b
    var pivots = [Int32](repeating: 0, count: rows)
    let n = LAPACKSupport.int32(rows)
    let info = lu.storage.withUnsafeMutableBufferPointer { pa in
      x.storage.withUnsafeMutableBufferPointer { px in
        pivots.withUnsafeMutableBufferPointer { pp in
          LAPACKE_dgesv(LAPACK_COL_MAJOR, n, LAPACKSupport.int32(b.columns), pa.baseAddress, n, pp.baseAddress, px.baseAddress, n)
        }
      }
    }
    try LAPACKSupport.check(info, routine: "dgesv")
    return x
  }
}
