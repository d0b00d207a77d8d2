internal import CLinearAlgebra

/// A singular value decomposition `A = U · diag(σ) · Vᵀ`, σ non-negative and non-increasing.
public struct SingularValueDecomposition: Sendable, Equatable {
  /// Left singular vectors, one per column: m×k (thin) or m×m (full).
  public var u: Matrix
  /// The singular values σ₁ ≥ σ₂ ≥ … ≥ 0, min(m, n) of them.
  public var singularValues: [Double]
  /// Right singular vectors transposed, one per row: k×n (thin) or n×n (full).
  public var vt: Matrix

  /// U · diag(σ) · Vᵀ, the matrix the decomposition came from (up to rounding).
  public var reconstructed: Matrix {
    u * Matrix.diagonal(singularValues, rows: u.columns, columns: vt.rows) * vt
  }
}

extension Matrix {
  /// The singular values, largest first (`dgesdd`, jobz = 'N').
  ///
  /// - Throws: ``LinearAlgebraError`` for NaN/infinite input or a LAPACK failure.
  public func singularValues() throws(LinearAlgebraError) -> [Double] {
    try gesdd(job: "N").singularValues
  }

  /// The thin SVD: U is m×k, Vᵀ is k×n with k = min(m, n) (`dgesdd`, jobz = 'S').
  ///
  /// - Throws: ``LinearAlgebraError`` for NaN/infinite input or a LAPACK failure.
  public func svd() throws(LinearAlgebraError) -> SingularValueDecomposition {
    try gesdd(job: "S")
  }

  /// The full SVD: U is m×m, Vᵀ is n×n (`dgesdd`, jobz = 'A').
  ///
  /// - Throws: ``LinearAlgebraError`` for NaN/infinite input or a LAPACK failure.
  public func fullSVD() throws(LinearAlgebraError) -> SingularValueDecomposition {
    try gesdd(job: "A")
  }

  /// `LAPACKE_dgesdd` with the given job; internal so that tests can hand it an illegal job.
  internal func gesdd(job: Unicode.Scalar) throws(LinearAlgebraError) -> SingularValueDecomposition {
    try LAPACKSupport.requireFinite(self, routine: "dgesdd")
    let m = rows, n = columns, k = Swift.min(m, n)
    let (uColumns, vtRows): (Int, Int)
    switch job {
    case "A": (uColumns, vtRows) = (m, n)
    case "S": (uColumns, vtRows) = (k, k)
    default: (uColumns, vtRows) = (0, 0)
    }
    if k == 0 {
      return SingularValueDecomposition(
        u: .identity(m).leadingColumns(uColumns), singularValues: [],
        vt: .identity(n).leadingColumns(vtRows).transposed())
    }
    OpenBLAS.ensureConfigured()
    var work = self  // dgesdd destroys its input; the copy happens here
    var s = [Double](repeating: 0, count: k)
    var u = Matrix(rows: m, columns: uColumns)
    var vt = Matrix(rows: vtRows, columns: n)
    let info = work.storage.withUnsafeMutableBufferPointer { pa in
      s.withUnsafeMutableBufferPointer { ps in
        u.storage.withUnsafeMutableBufferPointer { pu in
          vt.storage.withUnsafeMutableBufferPointer { pvt in
            // A workspace of one element stands in for U and Vᵀ when jobz = 'N' (LAPACKE wants
            // non-null pointers with leading dimensions ≥ 1).
            var dummy = 0.0
            return withUnsafeMutablePointer(to: &dummy) { pd in
              LAPACKE_dgesdd(
                LAPACK_COL_MAJOR, LAPACKSupport.character(job),
                LAPACKSupport.int32(m), LAPACKSupport.int32(n), pa.baseAddress, LAPACKSupport.int32(Swift.max(1, m)),
                ps.baseAddress,
                pu.baseAddress ?? pd, LAPACKSupport.int32(Swift.max(1, m)),
                pvt.baseAddress ?? pd, LAPACKSupport.int32(Swift.max(1, vtRows)))
            }
          }
        }
      }
    }
    try LAPACKSupport.check(info, routine: "dgesdd")
    return SingularValueDecomposition(u: u, singularValues: s, vt: vt)
  }

  /// The first `count` columns.
  public func leadingColumns(_ count: Int) -> Matrix {
    precondition(count >= 0 && count <= columns, "\(count) leading columns of a \(rows)×\(columns) matrix")
    return Matrix(rows: rows, columns: count, columnMajor: Array(storage[0 ..< (rows * count)]))
  }
}
