#!/usr/bin/python3
"""PyTorch CPU peer: Kipf & Welling's two-layer GCN on Cora / CiteSeer (full batch).

The same model, data and schedule as @gdl/graphs' `trainPlanetoid({ model: 'gcn' })`:
  - data: the project's Planetoid JSON (<data dir>/planetoid/<name>.json), features row-normalised;
  - model: sparse input dropout (on the nonzero feature values), X W1 as a sparse-dense product,
    propagation with D^-1/2 (A + I) D^-1/2 over the edge list, ReLU, dropout, H W2, propagation;
  - aggregation: `--aggr spmm` (torch.sparse.mm on the normalised COO adjacency, default) or
    `--aggr index_add` (gather the source rows, scale, index_add_ into the targets: the same
    Gather + ScatterND pattern @gdl/graphs runs);
  - training: Adam lr 0.01, L2 5e-4 on W1 (added to the loss), dropout 0.5, 16 hidden, 200 epochs;
    test accuracy at the epoch of best validation accuracy.

    Ties in validation accuracy go to the lower validation loss (as @gdl/graphs).
  - seeds: `--seeds 0,1,2` trains once per seed in this process (model initialisation and dropout
    masks from torch.manual_seed(seed); the masks cannot match @gdl's Philox stream, so accuracies
    agree in distribution, not run by run).

Prints one JSON line:
  {"peer": "torch", "task": "gcn-cora", "threads": N, "aggr": "spmm", "epochs": 200, "seeds": [...],
   "ms_per_epoch": median train step (epochs 2.. of every seed), "p10_ms": ..., "p90_ms": ...,
   "ms_per_eval": ..., "test_accuracy": mean over seeds, "test_accuracy_std": population std,
   "test_accuracies": [...], "val_accuracy": mean, "load_seconds": ..., "peak_rss_mb": ru_maxrss,
   "torch_version": "..."}

Run with Debian's interpreter and OMP_WAIT_POLICY=passive (see apps/bench/peers/torch_mlp.py):
  OMP_WAIT_POLICY=passive /usr/bin/python3 torch_gcn.py --data-dir "$GDL_DATA_DIR" --dataset cora --threads 1
"""
import argparse
import json
import os
import resource
import time

import torch


def percentile(sorted_xs, q):
    pos = (len(sorted_xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def load(data_dir, name):
    path = os.path.join(data_dir, "planetoid", name + ".json")
    if not os.path.exists(path):
        raise SystemExit("missing %s: pass --data-dir or set GDL_DATA_DIR to a folder with planetoid/cora.json "
                         "and planetoid/citeseer.json" % path)
    with open(path) as f:
        d = json.load(f)
    n, nf = d["numNodes"], d["numFeatures"]
    feats = d["features"]
    row_ptr = torch.tensor(feats["rowPtr"], dtype=torch.long)
    col = torch.tensor(feats["colIdx"], dtype=torch.long)
    counts = row_ptr[1:] - row_ptr[:-1]
    row = torch.repeat_interleave(torch.arange(n), counts)
    vals = torch.ones(len(col)) if feats["values"] is None else torch.tensor(feats["values"], dtype=torch.float32)
    sums = torch.zeros(n).index_add_(0, row, vals)
    vals = vals / sums.clamp(min=1e-30)[row]  # NormalizeFeatures
    src = torch.tensor(d["edgeIndex"]["src"], dtype=torch.long)
    dst = torch.tensor(d["edgeIndex"]["dst"], dtype=torch.long)
    labels = torch.tensor(d["labels"], dtype=torch.long)
    split = {k: torch.tensor(v, dtype=torch.long) for k, v in d["split"].items()}
    return n, nf, d["numClasses"], (row, col, vals), (src, dst), labels, split


def gcn_norm(src, dst, n):
    loops = torch.arange(n)
    src = torch.cat([src, loops])
    dst = torch.cat([dst, loops])
    w = torch.ones(len(src))
    deg = torch.zeros(n).index_add_(0, dst, w)
    dinv = deg.pow(-0.5)
    dinv[torch.isinf(dinv)] = 0
    return src, dst, dinv[src] * w * dinv[dst]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=os.environ.get("GDL_DATA_DIR"))
    ap.add_argument("--dataset", default="cora", choices=["cora", "citeseer"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--aggr", default="spmm", choices=["spmm", "index_add"])
    ap.add_argument("--seed", type=int, default=0, help="one seed (see --seeds)")
    ap.add_argument("--seeds", default=None, help="comma-separated seeds, one training run each (overrides --seed)")
    args = ap.parse_args()
    if not args.data_dir:
        raise SystemExit("no data directory: pass --data-dir or set GDL_DATA_DIR")
    torch.set_num_threads(args.threads)
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else [args.seed]

    t_load = time.perf_counter()
    data = load(args.data_dir, args.dataset)
    load_seconds = time.perf_counter() - t_load
    runs = [train(args, data, seed) for seed in seeds]
    ts = sorted(t for r in runs for t in r["times"][1:])
    es = sorted(t for r in runs for t in r["eval_times"][1:])
    accs = [r["test"] for r in runs]
    mean = sum(accs) / len(accs)
    print(json.dumps({
        "peer": "torch",
        "task": "gcn-" + args.dataset,
        "threads": args.threads,
        "aggr": args.aggr,
        "epochs": args.epochs,
        "seeds": seeds,
        "ms_per_epoch": round(percentile(ts, 0.5), 4),
        "p10_ms": round(percentile(ts, 0.1), 4),
        "p90_ms": round(percentile(ts, 0.9), 4),
        "ms_per_eval": round(percentile(es, 0.5), 4),
        "test_accuracy": round(mean, 4),
        "test_accuracy_std": round((sum((a - mean) ** 2 for a in accs) / len(accs)) ** 0.5, 4),
        "test_accuracies": [round(a, 4) for a in accs],
        "val_accuracy": round(sum(r["val"] for r in runs) / len(runs), 4),
        "load_seconds": round(load_seconds, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "torch_version": torch.__version__,
    }))


def train(args, data, seed):
    """One training run: the per-epoch train-step and evaluation times (ms) and the selected accuracies."""
    torch.manual_seed(seed)
    n, nf, nc, (frow, fcol, fval), (src, dst), labels, split = data
    esrc, edst, enorm = gcn_norm(src, dst, n)
    adj = torch.sparse_coo_tensor(torch.stack([edst, esrc]), enorm, (n, n)).coalesce()

    def propagate(h):
        if args.aggr == "spmm":
            return torch.sparse.mm(adj, h)
        return torch.zeros_like(h).index_add_(0, edst, h[esrc] * enorm.unsqueeze(1))

    def feature_matmul(vals, w):
        # X W for sparse X: gather W's rows, scale, scatter into rows (as @gdl/graphs' spmm).
        return torch.zeros(n, w.shape[1]).index_add_(0, frow, w[fcol] * vals.unsqueeze(1))

    hidden = 16
    w1 = torch.nn.Parameter(torch.empty(nf, hidden))
    b1 = torch.nn.Parameter(torch.zeros(hidden))
    w2 = torch.nn.Parameter(torch.empty(hidden, nc))
    b2 = torch.nn.Parameter(torch.zeros(nc))
    torch.nn.init.xavier_uniform_(w1)
    torch.nn.init.xavier_uniform_(w2)
    params = [w1, b1, w2, b2]
    opt = torch.optim.Adam(params, lr=0.01)

    def forward(training):
        vals = torch.nn.functional.dropout(fval, 0.5, training)
        h = torch.relu(propagate(feature_matmul(vals, w1)) + b1)
        h = torch.nn.functional.dropout(h, 0.5, training)
        return propagate(h @ w2) + b2

    def train_step():
        opt.zero_grad(set_to_none=True)
        out = forward(True)
        loss = torch.nn.functional.cross_entropy(out[split["train"]], labels[split["train"]]) + 5e-4 / 2 * (w1 ** 2).sum()
        loss.backward()
        opt.step()
        return loss

    def accuracy(out, idx):
        return (out[idx].argmax(1) == labels[idx]).float().mean().item()

    times, eval_times = [], []
    best_val, best_loss, best_test = -1.0, float("inf"), 0.0
    val_idx = split["val"]
    for _ in range(args.epochs):
        t0 = time.perf_counter()
        train_step()
        times.append((time.perf_counter() - t0) * 1e3)
        t1 = time.perf_counter()
        with torch.no_grad():
            out = forward(False)
        eval_times.append((time.perf_counter() - t1) * 1e3)
        val = accuracy(out, val_idx)
        val_loss = torch.nn.functional.cross_entropy(out[val_idx], labels[val_idx]).item()
        if val > best_val or (val == best_val and val_loss < best_loss):
            best_val, best_loss, best_test = val, val_loss, accuracy(out, split["test"])
    return {"times": times, "eval_times": eval_times, "val": best_val, "test": best_test}


if __name__ == "__main__":
    main()
