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
typedef double ib_v4d __attribute__((vector_size(32)));

// group_sum: y = Σ_{e0 ≤ e < e1} s_e · a[:, ia[e]] with s_e = s[is ? is[e] : e], summed in entry order
// from 0 (the same sums as successive axpys into a zeroed y), y held in registers 32 rows at a time.
#define IB_KERNELS(SUFFIX, ATTRIBUTES)                                                                 \
  /* One dot product: one 8-wide accumulator over the first k − k mod 8 elements, its lanes reduced  \
     as a tree, then the rest added in order (the arithmetic of each of dot4's four). */             \
  ATTRIBUTES static inline double dot_##SUFFIX(ptrdiff_t k, const double *x, const double *y) {        \
    ib_v8d s = {0, 0, 0, 0, 0, 0, 0, 0};                                                               \
    ptrdiff_t p = 0;                                                                                   \
    for (; p + 8 <= k; p += 8) {                                                                       \
      ib_v8d x0, y0;                                                                                   \
      memcpy(&x0, x + p, sizeof x0);                                                                   \
      memcpy(&y0, y + p, sizeof y0);                                                                   \
      s = s + x0 * y0;                                                                                 \
    }                                                                                                  \
    double sum = (((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7])));                   \
    for (; p < k; p++) sum = sum + x[p] * y[p];                                                        \
    return sum;                                                                                        \
  }                                                                                                    \
  /* Four dot products against one column y, each with exactly dot's arithmetic (so the same bits),  \
     interleaved so that their dependency chains overlap; one accumulator a dot keeps the four in    \
     eight AVX2 registers (two a dot spilled to the stack there). */                                 \
  ATTRIBUTES static inline void dot4_##SUFFIX(ptrdiff_t k, const double *const x[4], const double *y,  \
                                              double out[4]) {                                         \
    const ib_v8d zero = {0, 0, 0, 0, 0, 0, 0, 0};                                                      \
    ib_v8d s0 = zero, s1 = zero, s2 = zero, s3 = zero;                                                 \
    ptrdiff_t p = 0;                                                                                   \
    for (; p + 8 <= k; p += 8) {                                                                       \
      ib_v8d y0, x0, x1, x2, x3;                                                                       \
      memcpy(&y0, y + p, sizeof y0);                                                                   \
      memcpy(&x0, x[0] + p, sizeof x0);                                                                \
      memcpy(&x1, x[1] + p, sizeof x1);                                                                \
      memcpy(&x2, x[2] + p, sizeof x2);                                                                \
      memcpy(&x3, x[3] + p, sizeof x3);                                                                \
      s0 = s0 + x0 * y0;                                                                               \
      s1 = s1 + x1 * y0;                                                                               \
      s2 = s2 + x2 * y0;                                                                               \
      s3 = s3 + x3 * y0;                                                                               \
    }                                                                                                  \
    const ib_v8d s[4] = {s0, s1, s2, s3};                                                              \
    for (int j = 0; j < 4; j++) {                                                                      \
      double sum = (((s[j][0] + s[j][4]) + (s[j][2] + s[j][6])) + ((s[j][1] + s[j][5]) + (s[j][3] + s[j][7]))); \
      for (ptrdiff_t q = p; q < k; q++) sum = sum + x[j][q] * y[q];                                     \
      out[j] = sum;                                                                                    \
    }                                                                                                  \
  }                                                                                                    \
  ATTRIBUTES static inline void group_sum_##SUFFIX(ptrdiff_t k, const double *a, ptrdiff_t lda,        \
                                                   const ptrdiff_t *ia, const double *s,               \
                                                   const ptrdiff_t *is, ptrdiff_t e0, ptrdiff_t e1,    \
                                                   double *y) {                                        \
    ptrdiff_t p = 0;                                                                                   \
    for (; p + 32 <= k; p += 32) {                                                                     \
      ib_v8d y0 = {0, 0, 0, 0, 0, 0, 0, 0}, y1 = y0, y2 = y0, y3 = y0;                                 \
      for (ptrdiff_t e = e0; e < e1; e++) {                                                            \
        const double g = s[is ? is[e] : e];                                                            \
        const ib_v8d gv = {g, g, g, g, g, g, g, g};                                                    \
        const double *x = a + ia[e] * lda + p;                                                         \
        ib_v8d x0, x1, x2, x3;                                                                         \
        memcpy(&x0, x, sizeof x0);                                                                     \
        memcpy(&x1, x + 8, sizeof x1);                                                                 \
        memcpy(&x2, x + 16, sizeof x2);                                                                \
        memcpy(&x3, x + 24, sizeof x3);                                                                \
        y0 = y0 + gv * x0;                                                                             \
        y1 = y1 + gv * x1;                                                                             \
        y2 = y2 + gv * x2;                                                                             \
        y3 = y3 + gv * x3;                                                                             \
      }                                                                                                \
      memcpy(y + p, &y0, sizeof y0);                                                                   \
      memcpy(y + p + 8, &y1, sizeof y1);                                                               \
      memcpy(y + p + 16, &y2, sizeof y2);                                                              \
      memcpy(y + p + 24, &y3, sizeof y3);                                                              \
    }                                                                                                  \
    for (; p + 8 <= k; p += 8) {                                                                       \
      ib_v8d y0 = {0, 0, 0, 0, 0, 0, 0, 0};                                                            \
      for (ptrdiff_t e = e0; e < e1; e++) {                                                            \
        const double g = s[is ? is[e] : e];                                                            \
        const ib_v8d gv = {g, g, g, g, g, g, g, g};                                                    \
        ib_v8d x0;                                                                                     \
        memcpy(&x0, a + ia[e] * lda + p, sizeof x0);                                                   \
        y0 = y0 + gv * x0;                                                                             \
      }                                                                                                \
      memcpy(y + p, &y0, sizeof y0);                                                                   \
    }                                                                                                  \
    for (; p + 4 <= k; p += 4) {                                                                       \
      ib_v4d y0 = {0, 0, 0, 0};                                                                        \
      for (ptrdiff_t e = e0; e < e1; e++) {                                                            \
        const double g = s[is ? is[e] : e];                                                            \
        const ib_v4d gv = {g, g, g, g};                                                                \
        ib_v4d x0;                                                                                     \
        memcpy(&x0, a + ia[e] * lda + p, sizeof x0);                                                   \
        y0 = y0 + gv * x0;                                                                             \
      }                                                                                                \
      memcpy(y + p, &y0, sizeof y0);                                                                   \
    }                                                                                                  \
    for (; p < k; p++) {                                                                               \
      double acc = 0;                                                                                  \
      for (ptrdiff_t e = e0; e < e1; e++) acc = acc + s[is ? is[e] : e] * a[ia[e] * lda + p];          \
      y[p] = acc;                                                                                      \
    }                                                                                                  \
  }                                                                                                    \
  ATTRIBUTES static void grouped_sums_##SUFFIX(ptrdiff_t k, const double *a, ptrdiff_t lda,            \
                                               const ptrdiff_t *ia, const double *s,                   \
                                               const ptrdiff_t *is, const ptrdiff_t *start,            \
                                               ptrdiff_t groups, double *c, ptrdiff_t ldc) {           \
    for (ptrdiff_t g = 0; g < groups; g++)                                                             \
      group_sum_##SUFFIX(k, a, lda, ia, s, is, start[g], start[g + 1], c + g * ldc);                   \
  }                                                                                                    \
  ATTRIBUTES static double completion_##SUFFIX(ptrdiff_t k, const double *a, ptrdiff_t lda,            \
                                               const ptrdiff_t *ia, const double *b, ptrdiff_t ldb,    \
                                               const ptrdiff_t *start, ptrdiff_t groups,               \
                                               const double *targets, double scale,                    \
                                               double *residuals, double *c, ptrdiff_t ldc) {          \
    double sum = 0;                                                                                    \
    for (ptrdiff_t g = 0; g < groups; g++) {                                                           \
      const double *column = b + g * ldb;                                                              \
      ptrdiff_t e = start[g];                                                                          \
      for (; e + 4 <= start[g + 1]; e += 4) {                                                          \
        const double *const x[4] = {a + ia[e] * lda, a + ia[e + 1] * lda, a + ia[e + 2] * lda,         \
                                    a + ia[e + 3] * lda};                                              \
        double dots[4];                                                                                \
        dot4_##SUFFIX(k, x, column, dots);                                                             \
        for (int j = 0; j < 4; j++) {                                                                  \
          const double r = dots[j] - targets[e + j];                                                   \
          sum = sum + r * r;                                                                           \
          residuals[e + j] = scale * r;                                                                \
        }                                                                                              \
      }                                                                                                \
      for (; e < start[g + 1]; e++) {                                                                  \
        const double r = dot_##SUFFIX(k, a + ia[e] * lda, column) - targets[e];                        \
        sum = sum + r * r;                                                                             \
        residuals[e] = scale * r;                                                                      \
      }                                                                                                \
      group_sum_##SUFFIX(k, a, lda, ia, residuals, 0, start[g], start[g + 1], c + g * ldc);            \
    }                                                                                                  \
    return sum;                                                                                        \
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

void ib_grouped_sums(int isa, ptrdiff_t k, const double *a, ptrdiff_t lda, const ptrdiff_t *ia,
                     const double *s, const ptrdiff_t *is, const ptrdiff_t *start, ptrdiff_t groups,
                     double *c, ptrdiff_t ldc) {
  switch (resolve(isa)) {
#if defined(__x86_64__)
  case IB_ISA_AVX512: grouped_sums_avx512(k, a, lda, ia, s, is, start, groups, c, ldc); return;
  case IB_ISA_AVX2: grouped_sums_avx2(k, a, lda, ia, s, is, start, groups, c, ldc); return;
#endif
  default: grouped_sums_generic(k, a, lda, ia, s, is, start, groups, c, ldc); return;
  }
}

double ib_completion_residuals(int isa, ptrdiff_t k, const double *a, ptrdiff_t lda, const ptrdiff_t *ia,
                               const double *b, ptrdiff_t ldb, const ptrdiff_t *start, ptrdiff_t groups,
                               const double *targets, double scale, double *residuals, double *c,
                               ptrdiff_t ldc) {
  switch (resolve(isa)) {
#if defined(__x86_64__)
  case IB_ISA_AVX512: return completion_avx512(k, a, lda, ia, b, ldb, start, groups, targets, scale, residuals, c, ldc);
  case IB_ISA_AVX2: return completion_avx2(k, a, lda, ia, b, ldb, start, groups, targets, scale, residuals, c, ldc);
#endif
  default: return completion_generic(k, a, lda, ia, b, ldb, start, groups, targets, scale, residuals, c, ldc);
  }
}

void ib_transpose(ptrdiff_t rows, ptrdiff_t columns, const double *a, ptrdiff_t lda, double *b, ptrdiff_t ldb) {
  // 4 × 4 blocks transposed in vector registers by shuffles (4× the speed of the element loop at 100 ×
  // 100, even as SSE2), then the edges element by element. A copy: no arithmetic, so no rounding.
  const ptrdiff_t i4 = rows & ~(ptrdiff_t)3, j4 = columns & ~(ptrdiff_t)3;
  for (ptrdiff_t j = 0; j < j4; j += 4) {
    for (ptrdiff_t i = 0; i < i4; i += 4) {
      ib_v4d c0, c1, c2, c3;
      memcpy(&c0, a + i + j * lda, sizeof c0);
      memcpy(&c1, a + i + (j + 1) * lda, sizeof c1);
      memcpy(&c2, a + i + (j + 2) * lda, sizeof c2);
      memcpy(&c3, a + i + (j + 3) * lda, sizeof c3);
      const ib_v4d t0 = __builtin_shufflevector(c0, c1, 0, 4, 2, 6), t1 = __builtin_shufflevector(c0, c1, 1, 5, 3, 7);
      const ib_v4d t2 = __builtin_shufflevector(c2, c3, 0, 4, 2, 6), t3 = __builtin_shufflevector(c2, c3, 1, 5, 3, 7);
      const ib_v4d r0 = __builtin_shufflevector(t0, t2, 0, 1, 4, 5), r1 = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
      const ib_v4d r2 = __builtin_shufflevector(t0, t2, 2, 3, 6, 7), r3 = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
      memcpy(b + j + i * ldb, &r0, sizeof r0);
      memcpy(b + j + (i + 1) * ldb, &r1, sizeof r1);
      memcpy(b + j + (i + 2) * ldb, &r2, sizeof r2);
      memcpy(b + j + (i + 3) * ldb, &r3, sizeof r3);
    }
    for (ptrdiff_t i = i4; i < rows; i++)
      for (ptrdiff_t q = j; q < j + 4; q++) b[q + i * ldb] = a[i + q * lda];
  }
  for (ptrdiff_t j = j4; j < columns; j++)
    for (ptrdiff_t i = 0; i < rows; i++) b[j + i * ldb] = a[i + j * lda];
}
