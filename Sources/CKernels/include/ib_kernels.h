#ifndef IB_KERNELS_H
#define IB_KERNELS_H

// Sparse building blocks of the completion gradient (see kernels.c). Every kernel's arithmetic is
// fixed by its source: no fused multiply-add, one summation order, the same on every instruction set
// it dispatches to, so its results are bit-identical on every x86-64 CPU (and every OpenBLAS kernel).

#include <stddef.h>

/// The instruction set the kernels use when `isa` is IB_ISA_BEST.
enum {
  IB_ISA_BEST = -1,
  IB_ISA_GENERIC = 0,
  IB_ISA_AVX2 = 1,
  IB_ISA_AVX512 = 2,
};

/// The best instruction set this CPU and OS support: IB_ISA_GENERIC, IB_ISA_AVX2 or IB_ISA_AVX512.
int ib_best_isa(void);

/// Column sums grouped by a CSC-like index: for g < groups, c[:, g] = Σ s_e · a[:, ia[e]] over
/// start[g] ≤ e < start[g+1] in entry order, from 0, with s_e = s[is[e]] (s[e] when is is NULL);
/// columns of length k. Every column of c is written (an empty group gives zeros). The sums are
/// those of successive axpys into a zeroed c, but c's column stays in registers.
void ib_grouped_sums(int isa, ptrdiff_t k, const double *a, ptrdiff_t lda, const ptrdiff_t *ia,
                     const double *s, const ptrdiff_t *is, const ptrdiff_t *start, ptrdiff_t groups,
                     double *c, ptrdiff_t ldc);

/// The completion loss's entries, grouped by column g < groups (entries start[g] ≤ e < start[g+1]):
/// the residual r_e = a[:, ia[e]] · b[:, g] − targets[e] (a gathered dot), residuals[e] = scale·r_e,
/// and c[:, g] = Σ_e residuals[e] · a[:, ia[e]] (every column of c written). Returns Σ r_e² in entry
/// order. With a = F_{N−1}ᵀ and b = Prefix_{N−2} (the engine's names, factors counted from 0), c is
/// Back_{N−2} = F_{N−1}ᵀ G.
double ib_completion_residuals(int isa, ptrdiff_t k, const double *a, ptrdiff_t lda, const ptrdiff_t *ia,
                               const double *b, ptrdiff_t ldb, const ptrdiff_t *start, ptrdiff_t groups,
                               const double *targets, double scale, double *residuals, double *c,
                               ptrdiff_t ldc);

/// b = aᵀ: a is rows × columns (leading dimension lda), b is columns × rows (leading dimension ldb).
void ib_transpose(ptrdiff_t rows, ptrdiff_t columns, const double *a, ptrdiff_t lda, double *b, ptrdiff_t ldb);

#endif
