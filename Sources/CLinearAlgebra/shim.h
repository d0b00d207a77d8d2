#ifndef CLINEARALGEBRA_SHIM_H
#define CLINEARALGEBRA_SHIM_H

// LAPACK >= 3.10 declares lapack_complex_* as C99 _Complex unless they are defined first, and Swift
// cannot import _Complex. Layout-compatible structs keep the complex routines importable.
typedef struct { float re, im; } clinearalgebra_complex_float;
typedef struct { double re, im; } clinearalgebra_complex_double;
#define lapack_complex_float clinearalgebra_complex_float
#define lapack_complex_double clinearalgebra_complex_double

#include <cblas.h>    // OpenBLAS's CBLAS and its openblas_* threading and configuration calls
#include <lapacke.h>  // reference LAPACKE, which calls OpenBLAS's LAPACK
#include <stdlib.h>   // getenv, for the OpenBLAS thread policy (the one place the package reaches the C library)

#endif
