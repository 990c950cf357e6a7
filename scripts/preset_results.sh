#!/usr/bin/env bash
# Runs MBRL presets headless for several seeds and prints, per preset and seed, the time it took,
# the return of every episode (from metrics.csv) and where each episode ended (the first
# observation at its last step, from trajectories.csv): the figures the MBRL issue's results are
# stated in. Times: wall clock and CPU (user + sys) seconds; CPU time bounds the wall time on an
# idle machine from above, so it is the figure to trust when the machine is shared.
#   scripts/preset_results.sh [SEEDS] [PRESET ...]    (default: 3 seeds, every mbrl preset)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-3}; shift || true
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(pendulum_oracle pendulum_mpc cartpole_swingup_pets cliff_hill_v05
                                     cliff_hill_v10 cliff_hill_v15 reacher_pets point_obstacles_mpc)
scripts/build.sh >/dev/null
out=$(mktemp -d)
for p in "${presets[@]}"; do
  for ((s = 0; s < seeds; s++)); do
    d="$out/$p/$s"
    mkdir -p "$out/$p"
    /usr/bin/time -f "%e %U %S" -o "$d.time" build/app/dynalab-cli run "$p" --seed "$s" --out "$d" >/dev/null 2>&1 \
      || { echo "$p seed $s: FAILED" >&2; continue; }
    /usr/bin/python3 - "$p" "$s" "$d" <<'PY'
import csv, sys
p, s, d = sys.argv[1:]
wall, user, sys_ = map(float, open(d + ".time").read().split()[-3:])
rows = list(csv.DictReader(open(d + "/metrics.csv")))
rets = [float(r["return"]) for r in rows]
term = sum(int(r["terminated"]) for r in rows)
print(f"{p:<22} seed {s}: wall {wall:6.1f} s, cpu {user + sys_:6.1f} s, {len(rets)} episodes, "
      f"best {max(rets):8.1f}, last {rets[-1]:8.1f}, terminated {term}; returns "
      + " ".join(f"{x:.0f}" for x in rets))
# Where each episode ended, in the first observation (cliff_hill: the car's x; past 11 m it lies
# in the pit, 6.5-11 m is near the summit): the distribution-shift story in numbers.
traj = list(csv.reader(open(d + "/trajectories.csv")))
col, last = traj[0][3], {}
for row in traj[1:]:
    last[int(row[1])] = float(row[3])
print(f"{'':<22} final {col} per episode: " + " ".join(f"{last[e]:.1f}" for e in sorted(last)))
PY
  done
done
echo "outputs: $out"
