internal import CLinearAlgebra

extension Matrix {
  /// The matrix product `a · b` through `cblas_dgemm`.
  public static func * (a: Matrix, b: Matrix) -> Matrix {
    product(a, b)
  }

  /// `alpha · op(a) · op(b)`, where op transposes when asked; a new matrix through `cblas_dgemm`.
  ///
  /// Transposition is handed to BLAS, never materialised.
  public static func product(
    _ a: Matrix, _ b: Matrix,
    transposingLeft: Bool = false, transposingRight: Bool = false,
    alpha: Double = 1
  ) -> Matrix {
    let m = transposingLeft ? a.columns : a.rows
    let n = transposingRight ? b.rows : b.columns
    // β = 0: BLAS never reads the destination, so it need not be zeroed first.
    var result = Matrix(rows: m, columns: n) { _ in }
    result.formProduct(a, b, transposingLeft: transposingLeft, transposingRight: transposingRight, alpha: alpha, beta: 0)
    return result
  }

  /// In place: `self = alpha · op(a) · op(b) + beta · self`, through one `cblas_dgemm` call.
  ///
  /// This is the hot-loop form: when `self` is uniquely referenced nothing is allocated. With
  /// `beta == 0` the old contents of `self` are never read (NaNs in it do not propagate).
  /// Passing `self` as `a` or `b` is allowed but copies it first (copy-on-write), so it allocates.
  ///
  /// - Precondition: the shapes agree; the message names both operands' shapes.
  public mutating func formProduct(
    _ a: Matrix, _ b: Matrix,
    transposingLeft: Bool = false, transposingRight: Bool = false,
    alpha: Double = 1, beta: Double = 0
  ) {
    let m = transposingLeft ? a.columns : a.rows
    let k = transposingLeft ? a.rows : a.columns
    let kb = transposingRight ? b.columns : b.rows
    let n = transposingRight ? b.rows : b.columns
    precondition(
      k == kb,
      "product of \(a.rows)×\(a.columns)\(transposingLeft ? "ᵀ" : "") and \(b.rows)×\(b.columns)\(transposingRight ? "ᵀ" : ""): inner dimensions \(k) and \(kb) differ")
    precondition(
      rows == m && columns == n,
      "product of \(a.rows)×\(a.columns)\(transposingLeft ? "ᵀ" : "") and \(b.rows)×\(b.columns)\(transposingRight ? "ᵀ" : "") is \(m)×\(n), destination is \(rows)×\(columns)")
    guard m > 0 && n > 0 else { return }
    if k == 0 {
      if beta == 0 { storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } } else { scale(by: beta) }
      return
    }
    OpenBLAS.ensureConfigured()
    let lda = Int32(Swift.max(1, a.rows)), ldb = Int32(Swift.max(1, b.rows)), ldc = Int32(Swift.max(1, m))
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        storage.withUnsafeMutableBufferPointer { pc in
          cblas_dgemm(
            CblasColMajor,
            transposingLeft ? CblasTrans : CblasNoTrans,
            transposingRight ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha, pa.baseAddress, lda, pb.baseAddress, ldb,
            beta, pc.baseAddress, ldc)
        }
      }
    }
  }

  /// The matrix–vector product `self · x` through `cblas_dgemv`.
  public func applied(to x: [Double]) -> [Double] {
    precondition(x.count == columns, "product of \(rows)×\(columns) and a vector of length \(x.count)")
    guard rows > 0 else { return [] }
    guard columns > 0 else { return [Double](repeating: 0, count: rows) }
    OpenBLAS.ensureConfigured()
    var y = [Double](repeating: 0, count: rows)
    storage.withUnsafeBufferPointer { pa in
      x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
          cblas_dgemv(
            CblasColMajor, CblasNoTrans, Int32(rows), Int32(columns),
            1, pa.baseAddress, Int32(rows), px.baseAddress, 1, 0, py.baseAddress, 1)
        }
      }
    }
    return y
  }
}
