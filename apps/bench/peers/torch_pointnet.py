#!/usr/bin/python3
"""PyTorch CPU peer: PointNet / DeepSets / Set Transformer point-cloud classifiers (float32), trained as @gdl/sets'
trainPointClouds does, on the same clouds.

The data are the files apps/bench/src/tasks/point-clouds.ts writes (the exact clouds of @gdl/sets'
`pointCloudSplits`: bunny / teapot / snowden meshes sampled under random rigid motions, centred): --data names a
folder with meta.json and raw little-endian arrays (points float32 [S, P, 3], labels int32 [S]).

The models follow packages/sets/src (same layer widths, Glorot-uniform weights, zero biases, T-Net output layer
initialised to the identity); the recipe follows packages/sets/src/train.ts: Adam (betas 0.9 / 0.999, eps 1e-8),
mean cross-entropy, batch --batch with the last incomplete batch dropped, a fresh seeded shuffle every epoch, and a
test evaluation after every epoch on whole batches (not timed). Epoch time = the training loop (batch gathering,
forward, backward, update).

With --driven it prints {"ready": true} once set up, then runs one epoch per "epoch" line read from stdin and prints
{"epoch": i, "seconds": ..., "train_loss": ..., "test_accuracy": ...} after each (see driven.py); the bench alternates
its epochs with ours. At the end of stdin it prints the summary.

Prints one JSON line:

  {"peer": "torch", "task": "point-clouds", "model": ..., "epoch_seconds": [...], "train_loss": [...],
   "test_accuracy": [...], "params": N, "threads": N, "torch_version": "..."}

  OMP_WAIT_POLICY=passive /usr/bin/python3 torch_pointnet.py --data DIR --model pointnet --epochs 30 --threads 2
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
from torch import nn

from driven import drive


def glorot_linear(n_in, n_out):
    lin = nn.Linear(n_in, n_out)
    nn.init.xavier_uniform_(lin.weight)
    nn.init.zeros_(lin.bias)
    return lin


def mlp(sizes, output_relu=False):
    """@gdl/nn's MLP: Linear layers with ReLU between them (and after the last one with output_relu)."""
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(glorot_linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes) or output_relu:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class TNet(nn.Module):
    """Shared MLP 3-64-128, max pool, MLP 128-64, Linear 64 -> k*k with zero weight and identity bias."""

    def __init__(self, k):
        super().__init__()
        self.k = k
        self.shared = mlp([k, 64, 128], output_relu=True)
        self.head = mlp([128, 64], output_relu=True)
        self.out = nn.Linear(64, k * k)
        nn.init.zeros_(self.out.weight)
        with torch.no_grad():
            self.out.bias.copy_(torch.eye(k).flatten())

    def forward(self, x):
        g = self.shared(x).amax(dim=1)
        return self.out(self.head(g)).view(x.shape[0], self.k, self.k)


class PointNet(nn.Module):
    """@gdl/sets PointNet(3, C, {inputTransform: true}): x T(X), shared MLP 3-64-128-256, max pool, 256-128-64, Linear."""

    def __init__(self, classes):
        super().__init__()
        self.tnet = TNet(3)
        self.shared = mlp([3, 64, 128, 256], output_relu=True)
        self.classifier = mlp([256, 128, 64], output_relu=True)
        self.last = glorot_linear(64, classes)

    def forward(self, x):
        x = torch.bmm(x, self.tnet(x))
        return self.last(self.classifier(self.shared(x).amax(dim=1)))


class DeepSets(nn.Module):
    """@gdl/sets DeepSets([3, 64, 128], [128, 64, C], {pool: 'max'}): rho(max_i phi(x_i))."""

    def __init__(self, classes):
        super().__init__()
        self.phi = mlp([3, 64, 128], output_relu=True)
        self.rho = mlp([128, 64, classes])

    def forward(self, x):
        return self.rho(self.phi(x).amax(dim=1))


class MAB(nn.Module):
    """LN(H + relu(rFF(H))), H = LN(X' + Multihead(X, Y, Y)); X' = X, or X W_q when the widths differ (@gdl/sets MAB)."""

    def __init__(self, dim_x, dim_y, dim, heads):
        super().__init__()
        self.dim, self.heads, self.dim_x = dim, heads, dim_x
        self.q = glorot_linear(dim_x, dim)
        self.k = glorot_linear(dim_y, dim)
        self.v = glorot_linear(dim_y, dim)
        self.o = glorot_linear(dim, dim)
        self.ff = mlp([dim, dim, dim])
        self.ln0 = nn.LayerNorm(dim, eps=1e-5)
        self.ln1 = nn.LayerNorm(dim, eps=1e-5)

    def split(self, t):
        b, n, _ = t.shape
        return t.view(b, n, self.heads, self.dim // self.heads).transpose(1, 2)

    def forward(self, x, y):
        b, nx, _ = x.shape
        qx = self.q(x)
        q, k, v = self.split(qx), self.split(self.k(y)), self.split(self.v(y))
        att = torch.softmax(q @ k.transpose(2, 3) / math.sqrt(self.dim // self.heads), dim=-1)
        a = self.o((att @ v).transpose(1, 2).reshape(b, nx, self.dim))
        h = self.ln0((x if self.dim_x == self.dim else qx) + a)
        return self.ln1(h + torch.relu(self.ff(h)))


def glorot_param(shape, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return nn.Parameter(torch.empty(shape).uniform_(-limit, limit))


class ISAB(nn.Module):
    def __init__(self, dim_in, dim, m, heads):
        super().__init__()
        self.inducing = glorot_param((1, m, dim), m, dim)
        self.mab0 = MAB(dim, dim_in, dim, heads)
        self.mab1 = MAB(dim_in, dim, dim, heads)

    def forward(self, x):
        h = self.mab0(self.inducing.expand(x.shape[0], -1, -1), x)
        return self.mab1(x, h)


class SetTransformer(nn.Module):
    """@gdl/sets SetTransformer(3, C, {dim: 32, heads: 4, numInducing: 16}): ISAB x 2, PMA_1, SAB, Linear."""

    def __init__(self, classes, dim=32, heads=4, m=16):
        super().__init__()
        self.enc0 = ISAB(3, dim, m, heads)
        self.enc1 = ISAB(dim, dim, m, heads)
        self.seeds = glorot_param((1, 1, dim), 1, dim)
        self.pma_ff = mlp([dim, dim], output_relu=True)
        self.pma = MAB(dim, dim, dim, heads)
        self.dec = MAB(dim, dim, dim, heads)
        self.out = glorot_linear(dim, classes)

    def forward(self, x):
        z = self.enc1(self.enc0(x))
        p = self.pma(self.seeds.expand(x.shape[0], -1, -1), self.pma_ff(z))
        p = self.dec(p, p)
        return self.out(p).view(x.shape[0], -1)


MODELS = {"pointnet": PointNet, "deepsets": DeepSets, "settransformer": SetTransformer}


def load(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)

    def arr(entry, dtype):
        a = np.fromfile(os.path.join(folder, entry["file"]), dtype=dtype)
        return torch.from_numpy(a.reshape(entry["shape"]))

    split = lambda s: (arr(meta[s]["points"], "<f4"), arr(meta[s]["labels"], "<i4").long())
    return split("train"), split("test"), meta["classes"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="folder with meta.json and the point / label arrays")
    ap.add_argument("--model", choices=sorted(MODELS), required=True)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--driven", action="store_true",
                    help="print a ready line, then run one epoch per 'epoch' line read from stdin (up to --epochs)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    (x_train, y_train), (x_test, y_test), classes = load(args.data)
    model = MODELS[args.model](len(classes)).float()
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(args.seed + 11)
    n, bs = x_train.shape[0], args.batch
    steps = n // bs
    t_full = (x_test.shape[0] // bs) * bs

    epoch_seconds, train_loss, test_accuracy = [], [], []

    def run_epoch():
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        loss_sum = torch.zeros(())
        for s in range(steps):
            idx = perm[s * bs:(s + 1) * bs]
            opt.zero_grad(set_to_none=True)
            loss = nn.functional.cross_entropy(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.detach()
        epoch_seconds.append(time.perf_counter() - t0)
        train_loss.append(float(loss_sum) / steps)
        model.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, t_full, bs):
                correct += int((model(x_test[i:i + bs]).argmax(dim=1) == y_test[i:i + bs]).sum())
        test_accuracy.append(correct / t_full)

    if args.driven:
        # Driven by the bench: one epoch per "epoch" line on stdin, so its epochs alternate with @gdl's.
        drive(run_epoch, args.epochs, lambda: {"epoch": len(epoch_seconds), "seconds": round(epoch_seconds[-1], 4),
                                               "train_loss": round(train_loss[-1], 5), "test_accuracy": test_accuracy[-1]})
    else:
        for _ in range(args.epochs):
            run_epoch()

    print(json.dumps({
        "peer": "torch", "task": "point-clouds", "model": args.model, "threads": args.threads, "batch": bs,
        "steps_per_epoch": steps, "epoch_seconds": [round(s, 4) for s in epoch_seconds],
        "train_loss": [round(l, 5) for l in train_loss], "test_accuracy": test_accuracy, "params": params,
        "torch_version": torch.__version__,
    }))


if __name__ == "__main__":
    main()
