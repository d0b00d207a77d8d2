internal import CLinearAlgebra

/// Pointer-level BLAS kernels for hot loops that keep their matrices in one preallocated arena.
///
/// Everything is column-major with explicit leading dimensions, exactly as in CBLAS; no argument is
/// checked beyond what the preconditions say, and nothing allocates. Prefer ``Matrix`` elsewhere.
package enum BLAS {
  /// `C = alpha · op(A) · op(B) + beta · C` (`cblas_dgemm`), C is m×n and the inner dimension k.
  @inline(__always)
  package static func gemm(
    transposingA: Bool, transposingB: Bool, m: Int, n: Int, k: Int,
    alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    OpenBLAS.ensureConfigured()
    cblas_dgemm(
      CblasColMajor, transposingA ? CblasTrans : CblasNoTrans, transposingB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// `y = alpha · op(A) · x + beta · y` (`cblas_dgemv`), A is m×n.
  @inline(__always)
  package static func gemv(
    transposingA: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
    x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
  ) {
    OpenBLAS.ensureConfigured()
    cblas_dgemv(CblasColMajor, transposingA ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
  }

  /// `y += alpha · x` over `count` elements (`cblas_daxpy`).
  @inline(__always)
  package static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
    OpenBLAS.ensureConfigured()
    cblas_daxpy(Int32(count), alpha, x, 1, y, 1)
  }

  /// Σ xᵢ yᵢ over `count` elements (`cblas_ddot`).
  @inline(__always)
  package static func dot(count: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
    OpenBLAS.ensureConfigured()
    return cblas_ddot(Int32(count), x, 1, y, 1)
  }
}
