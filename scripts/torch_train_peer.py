#!/usr/bin/env python3
"""PyTorch peer of `dynalab-cli bench --filter ensemble/train_epoch`: one training epoch of a
PETS-style probabilistic ensemble, written the way a PyTorch user would (all members in one
torch.baddbmm per layer, autograd, torch.optim.Adam).

Same problem as our benchmark: E = 5 members, (4 + 1) -> 200 -> 200 -> 200 -> 2 * 4, SiLU,
Gaussian NLL on normalised targets with the log-variance soft-bounded by learned max/min (and
the 0.01 * (max - min) penalty), a bootstrap sample per member, 10,000 transitions, batch 256,
Adam (lr 1e-3, weight decay 5e-5 on weights). One epoch = every member sees its bootstrap
sample once in minibatches of 256.

Prints one JSON line: {"config": "train_epoch", "epoch_s_median": ..., "epochs_per_s": ...}.
Usage: /usr/bin/python3 scripts/torch_train_peer.py [--threads 2] [--repeats 5]
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

from torch_threads import set_threads


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    set_threads(args.threads)
    gen = torch.Generator().manual_seed(args.seed)
    E, ds, da, hidden, n, batch = 5, 4, 1, 200, 10000, 256
    x = torch.rand(n, ds + da, generator=gen) * 2 - 1
    y = 0.1 * torch.sin(torch.roll(x[:, :ds], -1, dims=1)) + 0.1 * x[:, ds:]
    x = (x - x.mean(0)) / x.std(0)
    y = (y - y.mean(0)) / y.std(0)

    dims = [ds + da, hidden, hidden, hidden, 2 * ds]
    W, b = [], []
    for fi, fo in zip(dims[:-1], dims[1:]):
        w = (torch.randn(E, fi, fo, generator=gen).clamp_(-2, 2) / (2 * math.sqrt(fi)))
        W.append(w.requires_grad_())
        b.append(torch.zeros(E, 1, fo, requires_grad=True))
    max_lv = torch.full((ds,), 0.5, requires_grad=True)
    min_lv = torch.full((ds,), -10.0, requires_grad=True)
    opt = torch.optim.Adam([{"params": W, "weight_decay": 5e-5},
                            {"params": b + [max_lv, min_lv], "weight_decay": 0.0}], lr=1e-3)
    boot = torch.randint(0, n, (E, n), generator=gen)  # a bootstrap sample per member

    def epoch():
        perm = boot[:, torch.randperm(n, generator=gen)]
        for i in range(0, n, batch):
            idx = perm[:, i:i + batch]                      # E x B
            h = x[idx]                                      # E x B x in
            t = y[idx]
            for l in range(len(W)):
                h = torch.baddbmm(b[l], h, W[l])
                if l < len(W) - 1:
                    h = F.silu(h)
            mu, lv = h[..., :ds], h[..., ds:]
            lv = max_lv - F.softplus(max_lv - lv)
            lv = min_lv + F.softplus(lv - min_lv)
            loss = ((mu - t) ** 2 * torch.exp(-lv) + lv).mean() + 0.01 * (max_lv.sum() - min_lv.sum())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()

    epoch()  # warm-up
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(json.dumps({"config": "train_epoch", "threads": args.threads, "repeats": args.repeats,
                      "epoch_s_median": med, "epoch_s_all": times, "epochs_per_s": 1 / med}))


if __name__ == "__main__":
    main()
