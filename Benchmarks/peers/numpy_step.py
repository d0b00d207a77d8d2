"""Peer for EngineBenchmarks: the same gradient-descent step of a depth-3 linear network in numpy.

Times, in one process, (a) one GD step on d=100 completion with 20 % observed and (b) the 6 bare
matrix products of the same shapes, and reports their ratio (EngineBenchmarks' target is 1.1 for
the Swift engine). Also times one 2x2, N=3 step. Run with OPENBLAS_NUM_THREADS=1:

    OPENBLAS_NUM_THREADS=1 python3 Benchmarks/peers/numpy_step.py
"""
import time

import numpy as np


def make(d, observed_fraction, seed):
    rng = np.random.default_rng(seed)
    target = rng.standard_normal((d, d))
    mask = np.zeros(d * d, dtype=bool)
    mask[rng.choice(d * d, int(round(d * d * observed_fraction)), replace=False)] = True
    mask = mask.reshape(d, d)
    factors = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(3)]
    return target, mask, factors


def step(target, mask, factors, lr):
    w1, w2, w3 = factors
    p2 = w2 @ w1
    w = w3 @ p2
    g = np.where(mask, w - target, 0.0)  # half-sum loss: gradient is the masked residual
    b2 = w3.T @ g
    b1 = w2.T @ b2
    grads = (b1, b2 @ w1.T, g @ p2.T)
    for f, gr in zip(factors, grads):
        f -= lr * gr
    return 0.5 * float(np.sum(g * g))


def best_of(fn, repeats, inner):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - start) / inner)
    return best


def main():
    target, mask, factors = make(100, 0.2, 1)
    step_time = best_of(lambda: step(target, mask, factors, 1e-4), 20, 50)
    a, b = factors[0].copy(), factors[1].copy()

    def six():
        a @ b
        a @ b
        a.T @ b
        a.T @ b
        a @ b.T
        a @ b.T

    gemm_time = best_of(six, 20, 50)
    small_target, small_mask, small_factors = make(2, 0.75, 3)
    small_time = best_of(lambda: step(small_target, small_mask, small_factors, 1e-4), 20, 2000)
    print(f"numpy {np.__version__}")
    print(f"d=100 N=3 completion 20% gd step: {step_time * 1e6:.1f} us")
    print(f"6 bare matrix products d=100:     {gemm_time * 1e6:.1f} us")
    print(f"ratio step / products:            {step_time / gemm_time:.2f}")
    print(f"2x2 N=3 step:                     {small_time * 1e6:.2f} us")


if __name__ == "__main__":
    main()
