"""Writes the nuclear-norm benchmark instances as dmf problem files (Benchmarks/instances/).

Arora et al.'s generator (gen_gt.py): W* = U V^T / sqrt(r) with Gaussian U, V, rescaled so that
||W*||_F = n; observations sampled uniformly without replacement. Both the Swift benchmark and the
cvxpy peer read these files, so they solve the same instance.

    python3 Benchmarks/peers/make_instances.py
"""
import json
import os

import numpy as np


def instance(n, r, m, seed):
    rng = np.random.default_rng(seed)
    u, v = rng.standard_normal((n, r)), rng.standard_normal((n, r))
    w = u @ v.T / np.sqrt(r)
    w *= n / np.linalg.norm(w)
    picked = rng.choice(n * n, m, replace=False)
    entries = [[int(k % n), int(k // n)] for k in sorted(picked)]
    return {
        "target": w.tolist(),
        "observations": {"kind": "entries", "entries": entries},
        "model": {"depth": 3},
        "initialization": {"kind": "gaussian", "scale": 1e-4, "seed": 1},
        "loss": "mean",
        "optimizer": {"kind": "gd", "learningRate": 0.3},
        "stop": {"maxSteps": 100000, "lossBelow": 1e-6},
        "record": {"every": 1000},
    }


def main():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "instances")
    os.makedirs(here, exist_ok=True)
    for name, (n, r, m, seed) in {
        "nnm-30x30-r2-m250": (30, 2, 250, 1),
        "nnm-100x100-r5-m2000": (100, 5, 2000, 2),
    }.items():
        with open(os.path.join(here, name + ".json"), "w") as f:
            json.dump(instance(n, r, m, seed), f)
            f.write("\n")


if __name__ == "__main__":
    main()
