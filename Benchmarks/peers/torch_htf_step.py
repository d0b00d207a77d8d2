"""The authors' hierarchical tensor factorization (PyTorch) against `dmf train`, from the same start.

Razin, Maman & Cohen 2022, code asafmaman101/imp_reg_htf. This driver imports the authors' model
(`HierarchicalTensorFactorization`) and optimizer (`GroupRMSprop`) unchanged and runs their training
step (forward on one-hot inputs, `nn.MSELoss()`, backward, optimizer step) in float64 on one thread.
It writes the same target, observed entries and initial weights as a tensor problem file, trains it
with `dmf train --json`, and prints, from one run of this script:
  - the agreement: the largest relative difference of the losses at the record points, and of the
    final weights (max |difference| / max |weight|);
  - the time per step of each, and their ratio (dmf's step time is the difference between a run of
    2N and one of N steps, so that process start and file reading cancel).

Get the authors' code and the CPU wheel, then run (default: the paper's shapes, order 3, dimension 16,
widths 512, 2048 observed entries, init std 1e-2, GroupRMSprop lr 1e-2):

    git clone https://github.com/asafmaman101/imp_reg_htf /tmp/imp_reg_htf
    pip install "torch==2.13.0+cpu" scikit-learn
    swift build -c release --product dmf
    IMP_REG_HTF=/tmp/imp_reg_htf OPENBLAS_NUM_THREADS=1 python3 Benchmarks/peers/torch_htf_step.py
    IMP_REG_HTF=/tmp/imp_reg_htf python3 Benchmarks/peers/torch_htf_step.py --order 4 --dim 3 --widths 8 8 --samples 48 --std 0.1 --steps 2000

Two shims, neither touching the training loop: `np.int = int` (the code predates NumPy 1.24, which
removed that alias), and float64 (`model.double()`; the code trains in float32 by default).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

np.int = int  # the authors' code uses the alias NumPy 1.24 removed
import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--order", type=int, default=3)
    p.add_argument("--dim", type=int, default=16)
    p.add_argument("--widths", type=int, nargs="+", default=[512, 512])
    p.add_argument("--target-widths", type=int, nargs="+", default=None, help="the target's HT rank (default 5 per layer)")
    p.add_argument("--target-norm", type=float, default=64.0)
    p.add_argument("--samples", type=int, default=2048)
    p.add_argument("--std", type=float, default=1e-2)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--every", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dmf", default=os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "dmf"))
    args = p.parse_args()
    code = os.environ.get("IMP_REG_HTF")
    if not code:
        sys.exit("set IMP_REG_HTF to a clone of https://github.com/asafmaman101/imp_reg_htf")
    sys.path.insert(0, code)
    from tensor_factorization.models.ht_tensor_factorization import HierarchicalTensorFactorization
    from common.train.optim.group_rmsprop import GroupRMSprop

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    dims = [args.dim] * args.order
    target_widths = args.target_widths or [5] * len(args.widths)
    # The data generator's HT target: standard Gaussian weights, normalised to the target norm.
    target_model = HierarchicalTensorFactorization(dims, pool_size=2, layer_widths=target_widths, init_std=1.0).double()
    with torch.no_grad():
        target_model.normalize(args.target_norm)
        target = target_model.compute_tensor()
    entries = torch.randperm(target.numel())[: args.samples]
    indices = torch.stack(torch.unravel_index(entries, target.shape), dim=1)  # (m, order), C order
    values = target[tuple(indices.T)]
    inputs = torch.nn.functional.one_hot(indices, num_classes=args.dim).double()

    model = HierarchicalTensorFactorization(dims, pool_size=2, layer_widths=args.widths, init_std=args.std).double()
    layers = [[m.detach().tolist() for m in layer] for layer in model.per_hidden_layer_parameter_lists]
    output = model.output_layer_parameters.detach()[:, 0].tolist()

    def problem(steps):
        return {
            # dmf lists entries with the first index fastest: the C-ordered tensor, transposed.
            "tensor": {"dimensions": dims, "entries": target.permute(*reversed(range(args.order))).reshape(-1).tolist()},
            "observations": {"kind": "entries", "entries": indices.tolist()},
            "model": {"kind": "hierarchical", "widths": args.widths, "poolSize": 2, "pattern": "checkerboard"},
            "initialization": {"kind": "weights", "layers": layers, "output": output},
            "loss": "mean",
            "optimizer": {"kind": "group-rmsprop", "learningRate": args.lr, "beta": 0.99, "epsilon": 1e-6},
            "stop": {"maxSteps": steps},
            "record": {"every": args.every},
        }

    def run_dmf(steps):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(problem(steps), f)
            path = f.name
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
        start = time.perf_counter()
        out = subprocess.run([args.dmf, "train", path, "--json"], capture_output=True, text=True, env=env)
        seconds = time.perf_counter() - start
        os.unlink(path)
        if out.returncode != 0:
            sys.exit(f"dmf train failed ({out.returncode}): {out.stderr}")
        return json.loads(out.stdout), seconds

    # The authors' step, as their SupervisedTrainer takes it.
    optimizer = GroupRMSprop(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.MSELoss()
    torch_losses = {}
    start = time.perf_counter()
    for step in range(args.steps + 1):
        loss = loss_fn(model(inputs), values)
        if step % args.every == 0 or step == args.steps:
            torch_losses[step] = loss.item()
        if step == args.steps:
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch_seconds = (time.perf_counter() - start) / args.steps

    result, _ = run_dmf(args.steps)
    dmf_losses = {point["step"]: point["loss"] for point in result["trajectory"]}
    common = sorted(set(torch_losses) & set(dmf_losses))
    loss_gap = max(abs(dmf_losses[s] - torch_losses[s]) / abs(torch_losses[s]) for s in common)
    final = [w for layer in model.per_hidden_layer_parameter_lists for w in layer]
    ours = [torch.tensor(m, dtype=torch.float64) for layer in result["layers"] for m in layer]
    ours.append(torch.tensor(result["output"], dtype=torch.float64))
    theirs = [w.detach() for w in final] + [model.output_layer_parameters.detach()[:, 0]]
    weight_gap = max(float((a - b).abs().max()) for a, b in zip(ours, theirs)) / max(float(b.abs().max()) for b in theirs)

    _, short = run_dmf(args.steps)
    _, long = run_dmf(2 * args.steps)
    dmf_seconds = (long - short) / args.steps
    print(f"order {args.order}, dimension {args.dim}, widths {args.widths}, {args.samples} observed, init std {args.std}, "
          f"GroupRMSprop lr {args.lr}, {args.steps} steps, float64, 1 thread, torch {torch.__version__}")
    print(f"loss at step 0: {torch_losses[0]:.6g}, at step {args.steps}: authors {torch_losses[args.steps]:.12g}, dmf {dmf_losses[args.steps]:.12g}")
    print(f"agreement over {len(common)} record points: max relative loss difference {loss_gap:.3g}; final weights max |difference| / max |weight| {weight_gap:.3g}")
    print(f"per step: authors' PyTorch {torch_seconds * 1e3:.3f} ms, dmf {dmf_seconds * 1e3:.3f} ms, ratio {torch_seconds / dmf_seconds:.1f}x")


if __name__ == "__main__":
    main()
