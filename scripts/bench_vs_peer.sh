#!/usr/bin/env bash
# Runs dynalab's benchmarks and the peers in ../shared/bench on this machine in one go, and prints
# the ratios the performance goals are stated in:
#   - planner "main" and "interactive" vs the PyTorch CEM peer (torch_cem_peer.py), in the peer's
#     best setting from the bench README (OpenMP OpenBLAS, CPU auto-detected, 2 threads);
#   - our planner FLOP rate vs the machine's 2-thread float32 GEMM rate (gemm_peak.cpp, built
#     here with Eigen and OpenMP, the README's command);
#   - one ensemble training epoch vs the same epoch in PyTorch (scripts/torch_train_peer.py);
#   - SAC update steps/s (batch 256, 64x64 and 256x256 nets) vs the same update in PyTorch
#     (scripts/sac_update_peer.py), with MBPO's model-rollout steps/s and the env steps/s beside;
#   - the GUI frame build time while a worker trains (dynalab --frame-stats), unless --no-gui.
# Needs Debian's python3-torch, python3-numpy and libopenblas0-openmp (installed if missing).
#   scripts/bench_vs_peer.sh [REPETITIONS] [--no-gui]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=5 gui=1
for a in "$@"; do case $a in --no-gui) gui=0 ;; *) reps=$a ;; esac; done
bench=../shared/bench
[ -f "$bench/torch_cem_peer.py" ] || { echo "error: $bench/torch_cem_peer.py not found (the shared bench folder sits beside the repo)" >&2; exit 2; }
scripts/install_deps.sh python3-torch python3-numpy libopenblas0-openmp >/dev/null
scripts/build.sh >/dev/null
out=$(mktemp -d)
filter='planner/|ensemble/|sac/|mbpo/|env_steps/'
[ $gui = 1 ] && filter="$filter|gui/"
build/app/dynalab-cli bench --filter "$filter" --repetitions "$reps" --json "$out/dynalab.json" >/dev/null
peer_env=(env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp)
"${peer_env[@]}" /usr/bin/python3 "$bench/torch_cem_peer.py" --threads 2 --repeats "$reps" > "$out/peer.jsonl"
"${peer_env[@]}" /usr/bin/python3 scripts/torch_train_peer.py --threads 2 --repeats "$reps" >> "$out/peer.jsonl"
"${peer_env[@]}" /usr/bin/python3 scripts/sac_update_peer.py --threads 2 --repeats "$reps" >> "$out/peer.jsonl"
g++ -O3 -march=native -fopenmp -DNDEBUG -I/usr/include/eigen3 "$bench/gemm_peak.cpp" -o "$out/gemm_peak"
"$out/gemm_peak" "$reps" 0.25 > "$out/gemm.jsonl"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
d = sys.argv[1]
ours = json.load(open(f"{d}/dynalab.json"))
peer = {}
for line in open(f"{d}/peer.jsonl"):
    j = json.loads(line)
    if "config" in j:
        peer[j["config"]] = j
gemm = {}
for line in open(f"{d}/gemm.jsonl"):
    j = json.loads(line)
    if "shape" in j:
        gemm[(j["shape"], j["threads"])] = j["gflops_median"]
print(f"{'config':<12} {'metric':<18} {'dynalab':>12} {'peer':>12} {'ratio':>7}")
for name in ("main", "interactive"):
    if name not in ours or name not in peer:
        continue
    for key in ("replans_per_s", "model_steps_per_s"):
        a, b = ours[name][key], peer[name][key]
        print(f"{name:<12} {key:<18} {a:>12.4g} {b:>12.4g} {a / b:>6.2f}x")
# GEMM peak: the best 2-thread rate gemm_peak measured (the README quotes 230-250 GFLOP/s).
peak2 = max((v for (s, t), v in gemm.items() if t == 2), default=None)
for name in ("main", "interactive"):
    if name in ours and peak2:
        g = ours[name]["gflops"]
        print(f"{name:<12} GFLOP/s {g:8.1f} = {100 * g / peak2:5.1f}% of the 2-thread Eigen GEMM peak {peak2:.1f}")
ep = ours["results"].get("ensemble/train_epoch")
if ep and "train_epoch" in peer:
    a, b = 1 / ep["epochs_per_s"], peer["train_epoch"]["epoch_s_median"]
    print(f"ensemble training epoch (E=5, 3x200, 10k, batch 256): dynalab {a:.3f} s, "
          f"PyTorch {b:.3f} s, ratio {a / b:.2f} (goal <= 2)")
for h in (64, 256):
    name = f"sac/update_{h}x{h}"
    if name in ours["results"] and f"sac_update_{h}x{h}" in peer:
        a, b = ours["results"][name]["updates_per_s"], peer[f"sac_update_{h}x{h}"]["updates_per_s"]
        print(f"SAC update {h}x{h} (batch 256): dynalab {a:.0f} updates/s (1 thread), "
              f"PyTorch {b:.0f} updates/s (2 threads), ratio {a / b:.2f}x (goal >= 2)")
r = ours["results"].get("mbpo/model_rollout")
if r:
    print(f"MBPO model rollout (mbpo_pendulum's ensemble, 20000 states, k = 1): "
          f"{r['model_steps_per_s']:.4g} model steps/s")
for name, r in sorted(ours["results"].items()):
    if name.startswith("env_steps/"):
        print(f"{name:<28} {r['steps_per_s']:>12.4g} steps/s (random actions, one thread)")
g = ours["results"].get("gui/frame_build")
if g:
    if "skipped" in g:
        print("gui frame build: skipped:", g["skipped"])
    else:
        print(f"gui frame build over {g['frames']} frames while the worker trains: "
              f"wall median {g['build_ms']['median']:.2f} ms, p99 {g['build_ms']['p99']:.2f} ms, "
              f"max {g['build_ms']['max']:.2f} ms; CPU median {g['build_cpu_ms']['median']:.2f} ms, "
              f"p99 {g['build_cpu_ms']['p99']:.2f} ms, max {g['build_cpu_ms']['max']:.2f} ms")
PY
echo "raw results: $out"
