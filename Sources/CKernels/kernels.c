// Sparse kernels for the completion gradient, written once and compiled for three instruction sets.
//
// Determinism is the point: FP_CONTRACT is off (a·b + c is a multiply and an add, never an FMA) and
// the vector type is 8 doubles whatever the target, so the AVX-512, AVX2 and generic (SSE2) copies
// perform the same operations in the same order and give bit-identical results.

#include "ib_kernels.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

typedef double ib_v8d __attribute__((vector_size(64)));

#define IB_KERNELS(SUFFIX, ATTRIBUTES)                                                                 \
  ATTRIBUTES static inline double dot_##SUFFIX(ptrdiff_t k, const double *x, const double *y) {        \
    ib_v8d s0 = {0, 0, 0, 0, 0, 0, 0, 0}, s1 = {0, 0, 0, 0, 0, 0, 0, 0};                               \
    ptrdiff_t p = 0;                                                                                   \
    for (; p + 16 <= k; p += 16) {                                                                     \
      ib_v8d x0, y0, x1, y1;                                                                           \
      memcpy(&x0, x + p, sizeof x0);                                                                   \
      memcpy(&y0, y + p, sizeof y0);                                                                   \
      memcpy(&x1, x + p + 8, sizeof x1);                                                               \
      memcpy(&y1, y + p + 8, sizeof y1);                                                               \
      s0 = s0 + x0 * y0;                                                                               \
      s1 = s1 + x1 * y1;                                                                               \
    }                                                                                                  \
    if (p + 8 <= k) {                                                                                  \
      ib_v8d x0, y0;                                                                                   \
      memcpy(&x0, x + p, sizeof x0);                                                                   \
      memcpy(&y0, y + p, sizeof y0);                                                                   \
      s0 = s0 + x0 * y0;                                                                               \
      p += 8;                                                                                          \
    }                                                                                                  \
    double tail = 0;                                                                                   \
    for (; p < k; p++) tail = tail + x[p] * y[p];                                                      \
    ib_v8d s = s0 + s1;                                                                                \
    return (((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))) + tail;                 \
  }                                                                                                    \
  ATTRIBUTES static inline void axpy_##SUFFIX(ptrdiff_t k, double g, const double *x, double *y) {    \
    const ib_v8d gv = {g, g, g, g, g, g, g, g};                                                        \
    ptrdiff_t p = 0;                                                                                   \
    for (; p + 8 <= k; p += 8) {                                                                       \
      ib_v8d xv, yv;                                                                                   \
      memcpy(&xv, x + p, sizeof xv);                                                                   \
      memcpy(&yv, y + p, sizeof yv);                                                                   \
      yv = yv + gv * xv;                                                                               \
      memcpy(y + p, &yv, sizeof yv);                                                                   \
    }                                                                                                  \
    for (; p < k; p++) y[p] = y[p] + g * x[p];                                                         \
  }                                                                                                    \
  ATTRIBUTES static double completion_##SUFFIX(ptrdiff_t k, const double *a, ptrdiff_t lda,            \
                                               const ptrdiff_t *ia, const double *b, ptrdiff_t ldb,    \
                                               const ptrdiff_t *ib, const double *targets,             \
                                               ptrdiff_t count, double scale, double *residuals,       \
                                               double *c, ptrdiff_t ldc) {                             \
    double sum = 0;                                                                                    \
    for (ptrdiff_t e = 0; e < count; e++) {                                                            \
      const double *x = a + ia[e] * lda;                                                               \
      const double r = dot_##SUFFIX(k, x, b + ib[e] * ldb) - targets[e];                               \
      sum = sum + r * r;                                                                               \
      residuals[e] = scale * r;                                                                        \
      axpy_##SUFFIX(k, scale * r, x, c + ib[e] * ldc);                                                 \
    }                                                                                                  \
    return sum;                                                                                        \
  }                                                                                                    \
  ATTRIBUTES static void scattered_axpys_##SUFFIX(ptrdiff_t k, const double *a, ptrdiff_t lda,         \
                                                  const ptrdiff_t *ia, const double *s,                \
                                                  const ptrdiff_t *is, ptrdiff_t count, double *c,     \
                                                  ptrdiff_t ldc, const ptrdiff_t *ic) {                \
    for (ptrdiff_t e = 0; e < count; e++) {                                                            \
      axpy_##SUFFIX(k, s[is ? is[e] : e], a + ia[e] * lda, c + ic[e] * ldc);                           \
    }                                                                                                  \
  }

#if defined(__x86_64__)
IB_KERNELS(avx512, __attribute__((target("avx512f"))))
IB_KERNELS(avx2, __attribute__((target("avx2"))))
#endif
IB_KERNELS(generic, )

static int best_isa = -1;

__attribute__((constructor)) static void ib_detect_isa(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  best_isa = __builtin_cpu_supports("avx512f") ? IB_ISA_AVX512 : __builtin_cpu_supports("avx2") ? IB_ISA_AVX2 : IB_ISA_GENERIC;
#else
  best_isa = IB_ISA_GENERIC;
#endif
}

int ib_best_isa(void) { return best_isa < 0 ? IB_ISA_GENERIC : best_isa; }

/// The instruction set to run: the one asked for if this CPU has it, else the best it has.
static int resolve(int isa) {
  int best = ib_best_isa();
  return (isa < 0 || isa > best) ? best : isa;
}

void ib_scattered_axpys(int isa, ptrdiff_t k, const double *a, ptrdiff_t lda, const ptrdiff_t *ia,
                        const double *s, const ptrdiff_t *is, ptrdiff_t count, double *c, ptrdiff_t ldc,
                        const ptrdiff_t *ic) {
  switch (resolve(isa)) {
#if defined(__x86_64__)
  case IB_ISA_AVX512: scattered_axpys_avx512(k, a, lda, ia, s, is, count, c, ldc, ic); return;
  case IB_ISA_AVX2: scattered_axpys_avx2(k, a, lda, ia, s, is, count, c, ldc, ic); return;
#endif
  default: scattered_axpys_generic(k, a, lda, ia, s, is, count, c, ldc, ic); return;
  }
}

double ib_completion_residuals(int isa, ptrdiff_t k, const double *a, ptrdiff_t lda, const ptrdiff_t *ia,
                               const double *b, ptrdiff_t ldb, const ptrdiff_t *ib, const double *targets,
                               ptrdiff_t count, double scale, double *residuals, double *c, ptrdiff_t ldc) {
  switch (resolve(isa)) {
#if defined(__x86_64__)
  case IB_ISA_AVX512: return completion_avx512(k, a, lda, ia, b, ldb, ib, targets, count, scale, residuals, c, ldc);
  case IB_ISA_AVX2: return completion_avx2(k, a, lda, ia, b, ldb, ib, targets, count, scale, residuals, c, ldc);
#endif
  default: return completion_generic(k, a, lda, ia, b, ldb, ib, targets, count, scale, residuals, c, ldc);
  }
}

void ib_transpose(ptrdiff_t rows, ptrdiff_t columns, const double *a, ptrdiff_t lda, double *b, ptrdiff_t ldb) {
  enum { block = 16 };
  for (ptrdiff_t j0 = 0; j0 < columns; j0 += block) {
    ptrdiff_t j1 = j0 + block < columns ? j0 + block : columns;
    for (ptrdiff_t i0 = 0; i0 < rows; i0 += block) {
      ptrdiff_t i1 = i0 + block < rows ? i0 + block : rows;
      for (ptrdiff_t j = j0; j < j1; j++)
        for (ptrdiff_t i = i0; i < i1; i++) b[j + i * ldb] = a[i + j * lda];
    }
  }
}
