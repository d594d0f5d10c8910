#!/usr/bin/python3
"""PyTorch CPU peer: one MLP training step (784-256-256-10, float32).

A step is forward, cross-entropy loss, backward and a plain SGD update on one
synthetic, seeded batch. Prints one JSON line to stdout:

  {"peer": "torch", "task": "mlp-train-step", "threads": N, "median_ms": ...,
   "p10_ms": ..., "p90_ms": ..., "torch_version": "..."}

Run with Debian's interpreter (python3-torch is installed there, the python3
first on PATH may be another one), and set OMP_WAIT_POLICY=passive: with
OpenMP's active waiting, multi-thread runs on a 2-vCPU machine are erratic and
can be many times slower.

  OMP_WAIT_POLICY=passive /usr/bin/python3 torch_mlp.py --threads 2 --batch 128 --steps 200 --warmup 20
"""
import argparse
import json
import time

import torch


def percentile(sorted_xs, q):
    """Linear-interpolated percentile of an ascending list, q in [0, 1]."""
    pos = (len(sorted_xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--steps", type=int, default=200, help="timed steps")
    ap.add_argument("--warmup", type=int, default=20, help="untimed steps first")
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.steps < 1:
        ap.error("--steps must be >= 1")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256),
        torch.nn.ReLU(),
        torch.nn.Linear(256, 256),
        torch.nn.ReLU(),
        torch.nn.Linear(256, 10),
    ).float()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr)
    x = torch.randn(args.batch, 784, dtype=torch.float32)
    y = torch.randint(0, 10, (args.batch,))

    def train_step():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(args.warmup):
        train_step()

    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        train_step()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()

    print(json.dumps({
        "peer": "torch",
        "task": "mlp-train-step",
        "threads": args.threads,
        "batch": args.batch,
        "steps": args.steps,
        "median_ms": round(percentile(times, 0.5), 4),
        "p10_ms": round(percentile(times, 0.1), 4),
        "p90_ms": round(percentile(times, 0.9), 4),
        "torch_version": torch.__version__,
    }))


if __name__ == "__main__":
    main()
