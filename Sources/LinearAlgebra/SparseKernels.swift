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

  /// The completion loss's entries, grouped by column `g < groups` (entries `start[g] ..< start[g+1]`):
  /// the residual `r_e = A[:, aColumns[e]] · B[:, g] − targets[e]`, `residuals[e] = scale · r_e`, and
  /// `C[:, g] = Σ_e residuals[e] · A[:, aColumns[e]]` (every column of C written); returns Σ r_e².
  /// Columns have length `k`; `start` has `groups + 1` elements.
  @inline(__always)
  package static func completionResiduals(
    k: Int, a: UnsafePointer<Double>, lda: Int, aColumns: UnsafePointer<Int>,
    b: UnsafePointer<Double>, ldb: Int, start: UnsafePointer<Int>, groups: Int, targets: UnsafePointer<Double>,
    scale: Double, residuals: UnsafeMutablePointer<Double>, into c: UnsafeMutablePointer<Double>, ldc: Int,
    using isa: InstructionSet? = nil
  ) -> Double {
    ib_completion_residuals(isa.map { $0.rawValue } ?? -1, k, a, lda, aColumns, b, ldb, start, groups, targets, scale, residuals, c, ldc)
  }

  /// `C[:, g] = Σ s_e · A[:, aColumns[e]]` over `start[g] ..< start[g+1]` in order, for `g < groups`,
  /// where `s_e = scales[scaleIndices[e]]` (`scales[e]` without indices); every column of C is
  /// written. The same sums as successive column additions into a zeroed C.
  @inline(__always)
  package static func groupedSums(
    k: Int, a: UnsafePointer<Double>, lda: Int, aColumns: UnsafePointer<Int>,
    scales: UnsafePointer<Double>, scaleIndices: UnsafePointer<Int>?, start: UnsafePointer<Int>, groups: Int,
    into c: UnsafeMutablePointer<Double>, ldc: Int, using isa: InstructionSet? = nil
  ) {
    ib_grouped_sums(isa.map { $0.rawValue } ?? -1, k, a, lda, aColumns, scales, scaleIndices, start, groups, c, ldc)
  }

  /// `B = Aᵀ`, with A `rows × columns`.
  @inline(__always)
  package static func transpose(
    rows: Int, columns: Int, a: UnsafePointer<Double>, lda: Int, into b: UnsafeMutablePointer<Double>, ldb: Int
  ) {
    ib_transpose(rows, columns, a, lda, b, ldb)
  }
}
