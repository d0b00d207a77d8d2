"""PyTorch CPU peer for EngineBenchmarks (the papers' own code is PyTorch): the same GD step.

One thread (torch.set_num_threads(1)), float64. Times, in one process:
  (a) one GD step of a depth-3 linear network on d=100 completion with 20 % and 5 % observed, written
      as the papers' code writes it: W = W3 @ W2 @ W1, the loss on the observed entries, autograd;
  (b) the same step with hand-written gradients (no autograd), as numpy_step.py does;
  (c) the 6 bare matrix products of the step's shapes;
  (d) one 2x2, N=3 step (Razin & Cohen's counterexample size), autograd.
Install the CPU wheel with `pip install "torch==2.13.0+cpu"` (or any torch), then run:

    OPENBLAS_NUM_THREADS=1 python3 Benchmarks/peers/torch_step.py
"""
import time

import torch

from numpy_step import best_of  # the same timing loop as the numpy peer


def make(d, observed_fraction, seed):
    generator = torch.Generator().manual_seed(seed)
    target = torch.randn(d, d, generator=generator, dtype=torch.float64)
    count = int(round(d * d * observed_fraction))
    mask = torch.zeros(d * d, dtype=torch.bool)
    mask[torch.randperm(d * d, generator=generator)[:count]] = True
    mask = mask.reshape(d, d)
    factors = [torch.randn(d, d, generator=generator, dtype=torch.float64) / d**0.5 for _ in range(3)]
    return target, mask, factors


def autograd_step(target, mask, factors, lr):
    for f in factors:
        f.requires_grad_(True)
    w1, w2, w3 = factors
    w = w3 @ w2 @ w1
    loss = 0.5 * ((w - target)[mask] ** 2).sum()
    loss.backward()
    with torch.no_grad():
        for f in factors:
            f -= lr * f.grad
            f.grad = None
    return loss.item()


def manual_step(target, mask, factors, lr):
    with torch.no_grad():
        w1, w2, w3 = factors
        p2 = w2 @ w1
        w = w3 @ p2
        g = torch.where(mask, w - target, torch.zeros((), dtype=w.dtype))
        b2 = w3.T @ g
        b1 = w2.T @ b2
        grads = (b1, b2 @ w1.T, g @ p2.T)
        for f, gr in zip(factors, grads):
            f -= lr * gr
        return 0.5 * float((g * g).sum())


def main():
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, BLAS: {torch.backends.cpu.get_cpu_capability()}")
    for percent in (20, 5):
        target, mask, factors = make(100, percent / 100, 1)
        auto = best_of(lambda: autograd_step(target, mask, factors, 1e-4), 20, 50)
        target, mask, factors = make(100, percent / 100, 1)
        manual = best_of(lambda: manual_step(target, mask, factors, 1e-4), 20, 50)
        print(f"d=100 N=3 completion {percent}% gd step, autograd:       {auto * 1e6:.1f} us")
        print(f"d=100 N=3 completion {percent}% gd step, manual gradient: {manual * 1e6:.1f} us")
    a, b = make(100, 0.2, 2)[2][:2]

    def six():
        a @ b
        a @ b
        a.T @ b
        a.T @ b
        a @ b.T
        a @ b.T

    print(f"6 bare matrix products d=100:                   {best_of(six, 20, 50) * 1e6:.1f} us")
    target, mask, factors = make(2, 0.75, 3)
    small = best_of(lambda: autograd_step(target, mask, factors, 1e-4), 20, 2000)
    print(f"2x2 N=3 step, autograd:                         {small * 1e6:.2f} us")


if __name__ == "__main__":
    main()
