"""Peer for BaselinesBenchmarks: minimum nuclear norm with cvxpy + SCS, as Arora et al. did.

Solves min ||X||_* s.t. |X_ij - M_ij| <= 1e-3 on the observed entries (their cvx_opt) for each
instance in Benchmarks/instances/, and prints the wall time, the objective and the constraint
violation. Install the solvers first: pip install cvxpy scs.

    OPENBLAS_NUM_THREADS=1 python3 Benchmarks/peers/cvxpy_nuclear.py
"""
import json
import os
import time

import cvxpy as cp
import numpy as np


def solve(path):
    with open(path) as f:
        problem = json.load(f)
    target = np.array(problem["target"])
    entries = problem["observations"]["entries"]
    rows = [e[0] for e in entries]
    cols = [e[1] for e in entries]
    x = cp.Variable(target.shape)
    constraints = [cp.abs(x[rows, cols] - target[rows, cols]) <= 1e-3]
    start = time.perf_counter()
    value = cp.Problem(cp.Minimize(cp.normNuc(x)), constraints).solve(solver=cp.SCS)
    seconds = time.perf_counter() - start
    violation = float(np.max(np.abs(x.value[rows, cols] - target[rows, cols])))
    return seconds, value, violation


def main():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "instances")
    print(f"cvxpy {cp.__version__}")
    for name in sorted(os.listdir(here)):
        if name.endswith(".json"):
            seconds, value, violation = solve(os.path.join(here, name))
            print(f"{name}: {seconds:.3f} s, ||X||_* = {value:.6f}, max violation {violation:.2e}")


if __name__ == "__main__":
    main()
