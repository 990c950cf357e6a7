#!/usr/bin/env python3
"""PyTorch peer of `dynalab-cli bench --filter sac/`: SAC update steps per second, written the
way Stable-Baselines3's sac/sac.py does one gradient step (autograd, torch.optim.Adam).

Same problem as our benchmark: obs 3 (the pendulum), action 1, batch 256 from a buffer of 10,000
random transitions; actor [obs] -> hidden -> hidden -> (mean, log_std clamped to [-20, 2]),
tanh-squashed Gaussian; twin critics [obs | action] -> hidden -> hidden -> 1 and their Polyak
targets (tau 0.005); ReLU; Adam lr 1e-3 for the actor, the critics and log_alpha; gamma 0.99;
target entropy -1. One update in SB3's order: sample a batch; actor sample on obs; step
log_alpha; soft target with the pre-step alpha; step the critics; step the actor through the
just-updated critics; Polyak-average the targets. hidden 64 (the presets' nets) and 256
(SB3's default).

Prints one JSON line per net: {"config": "sac_update_64x64", "updates_per_s": ..., ...}.
Usage: /usr/bin/python3 scripts/sac_update_peer.py [--threads 2] [--repeats 5] [--updates 300]
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_threads import set_threads


def mlp(i, h, o):
    return nn.Sequential(nn.Linear(i, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, o))


class Actor(nn.Module):
    def __init__(self, ds, da, h):
        super().__init__()
        self.latent = nn.Sequential(nn.Linear(ds, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU())
        self.mu = nn.Linear(h, da)
        self.log_std = nn.Linear(h, da)

    def sample(self, obs):
        z = self.latent(obs)
        mu, log_std = self.mu(z), self.log_std(z).clamp(-20, 2)
        std = log_std.exp()
        u = mu + std * torch.randn_like(mu)
        a = torch.tanh(u)
        log_prob = (-0.5 * ((u - mu) / std) ** 2 - log_std - 0.5 * math.log(2 * math.pi)).sum(1)
        log_prob -= torch.log(1 - a ** 2 + 1e-6).sum(1)  # SB3's squash correction
        return a, log_prob


def bench(h, args):
    torch.manual_seed(args.seed)
    ds, da, n, batch, gamma, tau = 3, 1, 10000, 256, 0.99, 0.005
    obs = torch.rand(n, ds) * 2 - 1
    act = torch.rand(n, da) * 2 - 1
    rew = -torch.rand(n, 1) * 16
    nxt = obs + 0.05 * torch.randn(n, ds)
    done = torch.zeros(n, 1)
    actor = Actor(ds, da, h)
    q1, q2 = mlp(ds + da, h, 1), mlp(ds + da, h, 1)
    q1_t, q2_t = mlp(ds + da, h, 1), mlp(ds + da, h, 1)
    q1_t.load_state_dict(q1.state_dict())
    q2_t.load_state_dict(q2.state_dict())
    critic_params = list(q1.parameters()) + list(q2.parameters())
    target_params = list(q1_t.parameters()) + list(q2_t.parameters())
    log_alpha = torch.zeros(1, requires_grad=True)
    actor_opt = torch.optim.Adam(actor.parameters(), lr=1e-3)
    critic_opt = torch.optim.Adam(critic_params, lr=1e-3)
    alpha_opt = torch.optim.Adam([log_alpha], lr=1e-3)
    target_entropy = -float(da)

    def update():
        idx = torch.randint(0, n, (batch,))
        o, a, r, s2, d = obs[idx], act[idx], rew[idx], nxt[idx], done[idx]
        a_pi, logp = actor.sample(o)
        alpha = log_alpha.detach().exp()
        alpha_loss = -(log_alpha * (logp + target_entropy).detach()).mean()
        alpha_opt.zero_grad()
        alpha_loss.backward()
        alpha_opt.step()
        with torch.no_grad():
            a2, logp2 = actor.sample(s2)
            x2 = torch.cat([s2, a2], 1)
            q_next = torch.min(q1_t(x2), q2_t(x2)) - alpha * logp2.unsqueeze(1)
            y = r + (1 - d) * gamma * q_next
        x = torch.cat([o, a], 1)
        critic_loss = 0.5 * (F.mse_loss(q1(x), y) + F.mse_loss(q2(x), y))
        critic_opt.zero_grad()
        critic_loss.backward()
        critic_opt.step()
        xp = torch.cat([o, a_pi], 1)
        actor_loss = (alpha * logp - torch.min(q1(xp), q2(xp)).squeeze(1)).mean()
        actor_opt.zero_grad()
        actor_loss.backward()
        actor_opt.step()
        with torch.no_grad():
            for p, pt in zip(critic_params, target_params):
                pt.mul_(1 - tau).add_(p, alpha=tau)

    for _ in range(20):  # warm-up
        update()
    rates = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for _ in range(args.updates):
            update()
        rates.append(args.updates / (time.perf_counter() - t0))
    return {"config": f"sac_update_{h}x{h}", "threads": args.threads, "repeats": args.repeats,
            "updates_per_s": statistics.median(rates), "updates_per_s_all": rates}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--updates", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    set_threads(args.threads)
    for h in (64, 256):
        print(json.dumps(bench(h, args)), flush=True)


if __name__ == "__main__":
    main()
