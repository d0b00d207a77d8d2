"""Peer for TensorBenchmarks: one gradient-descent step of CP tensor completion in numpy.

The same update as the Swift engine's step (GD update, then the mean loss and its gradient at the new
point), written as idiomatic vectorised numpy: gather each mode's rows for the observed entries
(m x R), multiply, residual, and scatter each mode's gradient with a one-hot matrix product (a BLAS
call; np.add.at is several times slower). Sizes as TensorBenchmarks: order 3 (d 8, R 64, 200 observed)
and order 4 (d 10, R 1000, 2000 observed). Run with OPENBLAS_NUM_THREADS=1:

    OPENBLAS_NUM_THREADS=1 python3 Benchmarks/peers/numpy_cp_step.py
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_step import best_of  # noqa: E402  (the peers' shared timer)


def make(dims, rank, observed, seed):
    rng = np.random.default_rng(seed)
    vectors = [rng.standard_normal(d) for d in dims]
    target = vectors[0]
    for v in vectors[1:]:
        target = np.multiply.outer(target, v)
    target = target.ravel() / np.linalg.norm(target)
    size = int(np.prod(dims))
    flat = rng.choice(size, observed, replace=False)
    idx = np.unravel_index(flat, dims)
    y = target[flat]
    factors = [0.1 * rng.standard_normal((d, rank)) for d in dims]
    onehots = [np.eye(d)[i].T.copy() for d, i in zip(dims, idx)]  # d x m, for the scatter
    return factors, idx, y, onehots


def step(factors, idx, y, onehots, grads, lr):
    for f, g in zip(factors, grads):
        f -= lr * g
    rows = [f[i] for f, i in zip(factors, idx)]  # each m x R
    n = len(rows)
    # prefix and suffix products, as the Swift engine (no division)
    prefix = [np.ones_like(rows[0])]
    for k in range(n - 1):
        prefix.append(prefix[-1] * rows[k])
    suffix = [np.ones_like(rows[0])] * n
    for k in range(n - 2, -1, -1):
        suffix[k] = suffix[k + 1] * rows[k + 1]
    residual = (rows[0] * suffix[0]).sum(axis=1) - y
    c = 2.0 / len(y)
    scaled = (c * residual)[:, None]
    for k in range(n):
        grads[k] = onehots[k] @ (scaled * prefix[k] * suffix[k])
    return float(np.mean(residual * residual))


if __name__ == "__main__":
    for dims, rank, observed, inner in [((8, 8, 8), 64, 200, 2000), ((10, 10, 10, 10), 1000, 2000, 20)]:
        factors, idx, y, onehots = make(dims, rank, observed, 1)
        grads = [np.zeros_like(f) for f in factors]
        seconds = best_of(lambda: step(factors, idx, y, onehots, grads, 1e-6), 7, inner)
        print(f"numpy cp step order {len(dims)} d={dims[0]} R={rank} m={observed} gd: {seconds * 1e6:.1f} us")
