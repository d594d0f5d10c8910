#!/usr/bin/python3
"""PyTorch CPU peer of the op tasks (apps/bench/src/ops/cases.ts has the semantics of every kind).

  OMP_WAIT_POLICY=passive /usr/bin/python3 torch_ops.py --spec spec.json

spec.json: {"threads": N, "plan": {"warmup", "minRepeats", "maxRepeats", "budgetMs"}, "cases": [...]}; each case
names its input files (raw little-endian float32 / int32, written by the TypeScript side so every runner computes on
the same bytes) and may set its own "threads" (the roofline measures 1 and every core). The timing protocol is the one of src/timing.ts (timeAdaptive). Prints JSON lines: first
{"info": ...}, then one result per case ({"id", "median_ms", "p10_ms", "p90_ms", "min_ms", "n", "checksum", "norm": the output fingerprint of src/ops/gdl.ts} or {"id", "error"}), then
{"done": true}.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def load(case, name):
    inp = next(i for i in case["inputs"] if i["name"] == name)
    dtype = np.float32 if inp["dtype"] == "float32" else np.int32
    arr = np.fromfile(inp["file"], dtype=dtype).reshape(inp["shape"])
    t = torch.from_numpy(arr.copy())
    return t if inp["dtype"] == "float32" else t.long()


def program(case):
    kind = case["kind"]
    if kind == "matmul":
        a, b = load(case, "a"), load(case, "b")
        return lambda: torch.matmul(a, b)
    if kind == "conv2d":
        x, w = load(case, "x"), load(case, "w")
        return lambda: F.conv2d(x, w)
    if kind == "conv2d-train":
        x, w, dy = load(case, "x").requires_grad_(), load(case, "w").requires_grad_(), load(case, "dy")

        def run():
            y = F.conv2d(x, w)
            dx, dw = torch.autograd.grad(y, [x, w], dy)
            return y, dx, dw
        return run
    if kind in ("mp", "mp-train"):
        x, src, dst = load(case, "x"), load(case, "src"), load(case, "dst")
        n, f = x.shape
        if kind == "mp":
            return lambda: torch.zeros(n, f).index_add_(0, dst, x.index_select(0, src))
        x.requires_grad_()
        dy = load(case, "dy")

        def run():
            y = torch.zeros(n, f).index_add(0, dst, x.index_select(0, src))
            (dx,) = torch.autograd.grad(y, [x], dy)
            return y, dx
        return run
    if kind == "softmax":
        x = load(case, "x")
        return lambda: torch.softmax(x, -1)
    if kind == "dft":
        x = load(case, "x")
        return lambda: torch.fft.fft(x, dim=1)
    raise ValueError(f"unknown kind {kind}")


def time_adaptive(fn, plan):
    w0 = time.perf_counter()
    for _ in range(max(1, plan["warmup"])):
        fn()
        if (time.perf_counter() - w0) * 1e3 > plan["budgetMs"] / 2:
            break
    ts = []
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        fn()
        t = (time.perf_counter() - t0) * 1e3
        ts.append(t)
        used = (time.perf_counter() - start) * 1e3
        if len(ts) >= plan["maxRepeats"]:
            break
        if used >= plan["budgetMs"] and (len(ts) >= plan["minRepeats"] or t >= plan["budgetMs"] / 2):
            break
    ts.sort()
    q = lambda p: ts[min(len(ts) - 1, int(p * len(ts)))]
    return {"median_ms": q(0.5), "p10_ms": q(0.1), "p90_ms": q(0.9), "min_ms": ts[0], "n": len(ts)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", required=True)
    args = ap.parse_args()
    with open(args.spec) as f:
        spec = json.load(f)
    torch.set_num_threads(spec["threads"])
    torch.set_grad_enabled(True)
    out({"info": {"peer": "torch", "version": torch.__version__, "threads": torch.get_num_threads(),
                  "blas": torch.__config__.show().count("OpenBLAS") and "OpenBLAS" or "other"}})
    for case in spec["cases"]:
        try:
            torch.set_num_threads(case.get("threads", spec["threads"]))
            fn = program(case)
            res = time_adaptive(fn, spec["plan"])
            ys = fn()
            ys = ys if isinstance(ys, tuple) else (ys,)
            fp, sq = 0.0, 0.0
            with torch.no_grad():
                for y in ys:
                    v = (torch.view_as_real(y) if y.is_complex() else y).detach().double().flatten()
                    w = ((torch.arange(v.numel(), dtype=torch.int64) * 7919) % 1009).double() / 504.5 - 1
                    fp += float((v * w).sum())
                    sq += float((v * v).sum())
            out({"id": case["id"], **res, "checksum": fp, "norm": sq ** 0.5})
        except Exception as e:  # noqa: BLE001 - reported per case, the run goes on
            out({"id": case["id"], "error": f"{type(e).__name__}: {e}"})
    out({"done": True})


if __name__ == "__main__":
    main()
