internal import CKernels

/// Pointer-level kernels for products with a sparse matrix given as a list of (row, column) entries.
///
/// They are the sparse half of the completion gradient (see `GradientEngine`). Unlike BLAS, their
/// arithmetic is fixed by the source (no fused multiply-add, one summation order on every
/// instruction set), so their results are bit-identical on every CPU and under every OpenBLAS kernel.
package enum SparseKernels {
  /// The instruction sets the kernels are compiled for.
  package enum InstructionSet: Int32, CaseIterable, Sendable {
    /// SSE2, every x86-64 CPU (and any other architecture).
    case generic = 0
    /// AVX2.
    case avx2 = 1
    /// AVX-512F.
    case avx512 = 2

    /// The best one this CPU and operating system support (what the kernels use by default).
    package static var best: InstructionSet { InstructionSet(rawValue: ib_best_isa()) ?? .generic }
  }

  /// The completion loss's entries in one pass: for `e = 0 ..< count` in order, the residual
  /// `r = A[:, aColumns[e]] · B[:, bColumns[e]] − targets[e]`, `residuals[e] = scale · r` and
  /// `C[:, bColumns[e]] += scale · r · A[:, aColumns[e]]`; returns Σ r². Columns have length `k`.
  @inline(__always)
  package static func completionResiduals(
    k: Int, a: UnsafePointer<Double>, lda: Int, aColumns: UnsafePointer<Int>,
    b: UnsafePointer<Double>, ldb: Int, bColumns: UnsafePointer<Int>, targets: UnsafePointer<Double>, count: Int,
    scale: Double, residuals: UnsafeMutablePointer<Double>, into c: UnsafeMutablePointer<Double>, ldc: Int,
    using isa: InstructionSet? = nil
  ) -> Double {
    ib_completion_residuals(isa.map { $0.rawValue } ?? -1, k, a, lda, aColumns, b, ldb, bColumns, targets, count, scale, residuals, c, ldc)
  }

  /// For `e = 0 ..< count` in order: `C[:, cColumns[e]] += s[e] · A[:, aColumns[e]]`, where
  /// `s[e] = scales[scaleIndices[e]]` (`scales[e]` without indices); columns of length `k`.
  @inline(__always)
  package static func scatteredAxpys(
    k: Int, a: UnsafePointer<Double>, lda: Int, aColumns: UnsafePointer<Int>,
    scales: UnsafePointer<Double>, scaleIndices: UnsafePointer<Int>?, count: Int,
    into c: UnsafeMutablePointer<Double>, ldc: Int, cColumns: UnsafePointer<Int>, using isa: InstructionSet? = nil
  ) {
    ib_scattered_axpys(isa.map { $0.rawValue } ?? -1, k, a, lda, aColumns, scales, scaleIndices, count, c, ldc, cColumns)
  }

  /// `B = Aᵀ`, with A `rows × columns`.
  @inline(__always)
  package static func transpose(
    rows: Int, columns: Int, a: UnsafePointer<Double>, lda: Int, into b: UnsafeMutablePointer<Double>, ldb: Int
  ) {
    ib_transpose(rows, columns, a, lda, b, ldb)
  }
}
