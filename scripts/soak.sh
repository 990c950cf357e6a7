#!/usr/bin/env bash
# Endurance run: watches the resident memory of two long dynalab-cli runs.
#   (a) pendulum_mpc with the interactive planner settings (E = 5 probabilistic 3 x 64 SiLU
#       members, CEM 200/20 x 5 iterations, horizon 20, 10 TS-inf particles), a bounded replay
#       buffer (dataset_capacity) and a refit after every episode, for MPC_MINUTES;
#   (b) 10^6 env steps of Dyna-Q on the Dyna Maze (dyna_maze, 50 planning steps).
# VmRSS (from /proc/PID/status) is sampled every INTERVAL seconds into OUT/rss_mpc.csv and
# OUT/rss_dyna.csv (seconds,rss_kb); the summary compares RSS at the end of warm-up (the replay
# buffer full, or 1/4 of the run for Dyna) with the end.
#   scripts/soak.sh [MPC_MINUTES] [OUT]     (defaults: 15, out/soak; build/ must exist)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-15}
out=${2:-out/soak}
interval=${INTERVAL:-10}
cli=build/app/dynalab-cli
[ -x "$cli" ] || { echo "error: $cli not built (scripts/build.sh)" >&2; exit 2; }
mkdir -p "$out"

# Samples VmRSS of PID every $interval s (or $3 s) into CSV until it exits.
sample_rss() {
  local pid=$1 csv=$2 every=${3:-$interval} t0=$SECONDS
  echo "seconds,rss_kb" > "$csv"
  while kill -0 "$pid" 2>/dev/null; do
    local kb
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$kb" ] && echo "$((SECONDS - t0)),$kb" >> "$csv"
    sleep "$every"
  done
}

# Prints RSS at the sample nearest to WARMUP seconds, at the end, and the growth between.
summarise() {
  local name=$1 csv=$2 warmup=$3
  awk -F, -v name="$name" -v warm="$warmup" 'BEGIN { n = 0 } NR > 1 {
      t[n] = $1; r[n] = $2; n++ }
    END {
      if (n == 0) { print name ": no samples"; exit }
      w = 0; for (i = 0; i < n; i++) if (t[i] <= warm) w = i
      max = 0; for (i = w; i < n; i++) if (r[i] > max) max = r[i]
      printf "%s: %d samples; RSS at warm-up end (%ds) %.1f MB, at end (%ds) %.1f MB, max after warm-up %.1f MB, growth after warm-up %+.1f MB (%+.1f%%)\n",
        name, n, t[w], r[w] / 1024, t[n-1], r[n-1] / 1024, max / 1024, (r[n-1] - r[w]) / 1024,
        100 * (r[n-1] - r[w]) / r[w] }' "$csv"
}

# (a) The replay buffer holds 3 episodes' worth (200 steps each): it is full after the random
# steps and 2 planned episodes, then every refit trains on a sliding window of the same size.
capacity=600
"$cli" run pendulum_mpc --quiet --out "$out/mpc" \
  --set episodes=100000 --set random_steps=200 --set dataset_capacity=$capacity \
  --set model.prediction=probabilistic --set model.hidden=[64,64,64] --set model.ensemble_size=5 \
  --set model.elite_members=5 --set model.epochs=20 --set planner.population=200 \
  --set planner.elites=20 --set planner.iterations=5 --set planner.horizon=20 \
  --set rollout.particles=10 --set rollout.propagation=tsinf > "$out/mpc.log" 2>&1 &
mpc=$!
(sleep "$((minutes * 60))" && kill "$mpc" 2>/dev/null) &  # more episodes than minutes: stop it
stopper=$!
sample_rss "$mpc" "$out/rss_mpc.csv" &
sampler=$!
wait "$mpc" || true
kill "$stopper" 2>/dev/null || true
wait "$sampler"
# Warm-up: a third of the run (the buffer fills within the first few minutes).
summarise "pendulum_mpc (interactive, capacity $capacity, ${minutes} min)" "$out/rss_mpc.csv" "$((minutes * 20))"

# (b) 10^6 steps of Dyna-Q.
"$cli" run dyna_maze --quiet --out "$out/dyna" --set steps=1000000 --set episodes=10000000 \
  --set agent.planning_steps=50 > "$out/dyna.log" 2>&1 &
dyna=$!
sample_rss "$dyna" "$out/rss_dyna.csv" 1 &  # it takes about a minute: every second
sampler=$!
wait "$dyna"
wait "$sampler"
last=$(tail -n 1 "$out/rss_dyna.csv" | cut -d, -f1)
summarise "dyna_maze (10^6 steps)" "$out/rss_dyna.csv" "$((last / 4))"
