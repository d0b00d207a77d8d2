internal import CLinearAlgebra

/// A thin QR factorization `A = Q · R`: Q is m×k with orthonormal columns, R is k×n upper
/// triangular, k = min(m, n).
public struct QRDecomposition: Sendable, Equatable {
  /// Orthonormal columns, m×k.
  public var q: Matrix
  /// Upper triangular (trapezoidal when n > m), k×n.
  public var r: Matrix
}

extension Matrix {
  /// The thin QR factorization by Householder reflections (`dgeqrf`, then `dorgqr` for Q).
  ///
  /// LAPACK does not make R's diagonal positive; callers that need a canonical Q (Haar sampling)
  /// multiply column j of Q and row j of R by sign(R[j, j]).
  ///
  /// - Throws: ``LinearAlgebraError`` for NaN/infinite input or a LAPACK failure.
  public func qr() throws(LinearAlgebraError) -> QRDecomposition {
    try LAPACKSupport.requireFinite(self, routine: "dgeqrf")
    let m = rows, n = columns, k = Swift.min(m, n)
    guard k > 0 else {
      return QRDecomposition(q: Matrix(rows: m, columns: 0), r: Matrix(rows: 0, columns: n))
    }
    OpenBLAS.ensureConfigured()
    var factored = self
    var tau = [Double](repeating: 0, count: k)
    let lda = LAPACKSupport.int32(Swift.max(1, m))
    var info = factored.storage.withUnsafeMutableBufferPointer { pa in
      tau.withUnsafeMutableBufferPointer { pt in
        LAPACKE_dgeqrf(LAPACK_COL_MAJOR, LAPACKSupport.int32(m), LAPACKSupport.int32(n), pa.baseAddress, lda, pt.baseAddress)
      }
    }
    try LAPACKSupport.check(info, routine: "dgeqrf")

    var r = Matrix(rows: k, columns: n)
    for j in 0 ..< n {
      for i in 0 ... Swift.min(j, k - 1) { r.storage[i + j * k] = factored.storage[i + j * m] }
    }
    var q = factored.leadingColumns(k)
    info = q.storage.withUnsafeMutableBufferPointer { pq in
      tau.withUnsafeBufferPointer { pt in
        LAPACKE_dorgqr(
          LAPACK_COL_MAJOR, LAPACKSupport.int32(m), LAPACKSupport.int32(k), LAPACKSupport.int32(k),
          pq.baseAddress, lda, pt.baseAddress)
      }
    }
    try LAPACKSupport.check(info, routine: "dorgqr")
    return QRDecomposition(q: q, r: r)
  }
}
