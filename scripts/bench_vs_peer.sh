#!/usr/bin/env bash
# Runs dynalab's planner and training benchmarks and the PyTorch peer (../shared/bench) on this
# machine in one go, and prints the ratios. The peer runs in its best setting from the bench
# README (OpenMP OpenBLAS, CPU auto-detected, 2 threads). Needs Debian's python3-torch,
# python3-numpy and libopenblas0-openmp (installed here if missing).
#   scripts/bench_vs_peer.sh [REPETITIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
peer=../shared/bench/torch_cem_peer.py
[ -f "$peer" ] || { echo "error: $peer not found (the shared bench folder sits beside the repo)" >&2; exit 2; }
scripts/install_deps.sh python3-torch python3-numpy libopenblas0-openmp
scripts/build.sh >/dev/null
out=$(mktemp -d)
build/app/dynalab-cli bench --filter 'planner/|ensemble/' --repetitions "$reps" --json "$out/dynalab.json" >/dev/null
env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
  /usr/bin/python3 "$peer" --threads 2 --repeats "$reps" > "$out/peer.jsonl"
/usr/bin/python3 - "$out/dynalab.json" "$out/peer.jsonl" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
peer = {}
for line in open(sys.argv[2]):
    d = json.loads(line)
    if "config" in d:
        peer[d["config"]] = d
print(f"{'config':<12} {'metric':<18} {'dynalab':>12} {'peer':>12} {'ratio':>7}")
for name in ("main", "interactive"):
    if name not in ours or name not in peer:
        continue
    for key in ("replans_per_s", "model_steps_per_s"):
        a, b = ours[name][key], peer[name][key]
        print(f"{name:<12} {key:<18} {a:>12.4g} {b:>12.4g} {a / b:>6.2f}x")
ep = ours["results"].get("ensemble/train_epoch")
if ep:
    print(f"ensemble training epoch (E=5, 3x200, 10k, batch 256): {1 / ep['epochs_per_s']:.3f} s")
PY
echo "raw results: $out"
