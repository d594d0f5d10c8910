#!/usr/bin/python3
"""PyTorch CPU peer: float32 matmul of two n x n matrices (default n = 1024).

Prints one JSON line to stdout:

  {"peer": "torch", "task": "matmul", "n": 1024, "threads": N, "median_ms": ...,
   "p10_ms": ..., "p90_ms": ..., "gflops": ..., "torch_version": "..."}

gflops = 2 n^3 / median time. Run with /usr/bin/python3 and OMP_WAIT_POLICY=passive
(see torch_mlp.py):

  OMP_WAIT_POLICY=passive /usr/bin/python3 torch_matmul.py --threads 2 --steps 50 --warmup 5
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
    ap.add_argument("--n", type=int, default=1024)
    ap.add_argument("--steps", type=int, default=50, help="timed runs")
    ap.add_argument("--warmup", type=int, default=5, help="untimed runs first")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.steps < 1:
        ap.error("--steps must be >= 1")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    n = args.n
    a = torch.randn(n, n, dtype=torch.float32)
    b = torch.randn(n, n, dtype=torch.float32)
    out = torch.empty(n, n, dtype=torch.float32)

    for _ in range(args.warmup):
        torch.matmul(a, b, out=out)

    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        torch.matmul(a, b, out=out)
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    median = percentile(times, 0.5)

    print(json.dumps({
        "peer": "torch",
        "task": "matmul",
        "n": n,
        "threads": args.threads,
        "steps": args.steps,
        "median_ms": round(median, 4),
        "p10_ms": round(percentile(times, 0.1), 4),
        "p90_ms": round(percentile(times, 0.9), 4),
        "gflops": round(2 * n ** 3 / (median * 1e-3) / 1e9, 2),
        "torch_version": torch.__version__,
    }))


if __name__ == "__main__":
    main()
