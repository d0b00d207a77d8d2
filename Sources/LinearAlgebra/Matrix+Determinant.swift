internal import CLinearAlgebra

extension Matrix {
  /// The determinant, from the LU factorization with partial pivoting (`dgetrf`).
  ///
  /// An exactly singular matrix (a zero pivot, `info > 0`) has determinant 0; the 0×0 matrix has 1.
  /// The product of pivots can overflow for large, badly scaled matrices; the claims use small ones.
  ///
  /// - Precondition: the matrix is square.
  /// - Throws: ``LinearAlgebraError`` for NaN/infinite input or an illegal argument.
  public func determinant() throws(LinearAlgebraError) -> Double {
    precondition(isSquare, "determinant of a non-square \(rows)×\(columns) matrix")
    try LAPACKSupport.requireFinite(self, routine: "dgetrf")
    let n = rows
    guard n > 0 else { return 1 }
    if n == 1 { return storage[0] }
    if n == 2 { return storage[0] * storage[3] - storage[2] * storage[1] }
    OpenBLAS.ensureConfigured()
    var lu = self
    var pivots = [Int32](repeating: 0, count: n)
    let info = lu.storage.withUnsafeMutableBufferPointer { pa in
      pivots.withUnsafeMutableBufferPointer { pp in
        LAPACKE_dgetrf(LAPACK_COL_MAJOR, LAPACKSupport.int32(n), LAPACKSupport.int32(n), pa.baseAddress, LAPACKSupport.int32(n), pp.baseAddress)
      }
    }
    if info > 0 { return 0 }
    try LAPACKSupport.check(info, routine: "dgetrf")
    var det = 1.0
    for i in 0 ..< n {
      det *= lu.storage[i + i * n]
      if pivots[i] != Int32(i + 1) { det = -det }  // LAPACK pivots are one-based
    }
    return det
  }
}
