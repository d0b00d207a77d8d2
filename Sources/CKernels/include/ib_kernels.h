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

/// For e = 0 … count−1 in order: c[:, ic[e]] += s[is[e]] · a[:, ia[e]] (s[e] when is is NULL),
/// columns of length k.
void ib_scattered_axpys(int isa, ptrdiff_t k, const double *a, ptrdiff_t lda, const ptrdiff_t *ia,
                        const double *s, const ptrdiff_t *is, ptrdiff_t count, double *c, ptrdiff_t ldc,
                        const ptrdiff_t *ic);

/// The completion loss's entries, fused: for e = 0 … count−1 in order, the residual
/// r = a[:, ia[e]] · b[:, ib[e]] − targets[e] (a gathered dot), residuals[e] = scale·r, and
/// c[:, ib[e]] += scale·r · a[:, ia[e]]. Returns Σ r². With a = F_{N−1}ᵀ, b = Prefix_{N−2} (the engine's
/// names, factors counted from 0) and entries
/// sorted by column, b's and c's columns stay in cache while a's are read once per entry.
double ib_completion_residuals(int isa, ptrdiff_t k, const double *a, ptrdiff_t lda, const ptrdiff_t *ia,
                               const double *b, ptrdiff_t ldb, const ptrdiff_t *ib, const double *targets,
                               ptrdiff_t count, double scale, double *residuals, double *c, ptrdiff_t ldc);

/// b = aᵀ: a is rows × columns (leading dimension lda), b is columns × rows (leading dimension ldb).
void ib_transpose(ptrdiff_t rows, ptrdiff_t columns, const double *a, ptrdiff_t lda, double *b, ptrdiff_t ldb);

#endif
