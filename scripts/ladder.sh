#!/usr/bin/env bash
# The sample-efficiency ladder of issue 17 (deck 003, "note log scale"): every rung of
# assets/ladders/pendulum.json on N seeds, written as ladder.svg (return vs env steps, log x, with
# the published rl-baselines3-zoo results as markers), ladder_wall_clock.svg, ladder.csv and
# ladder_summary.csv (median env steps to a return of -300 per rung).
#   scripts/ladder.sh [OUT_DIR] [SEEDS] [JOBS]     (defaults: ladder_out 3 2)
# Builds dynalab-cli first if needed; the same as `dynalab-cli ladder --seeds N --jobs J --out DIR`.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-ladder_out}"
seeds="${2:-3}"
jobs="${3:-2}"
[ -x build/app/dynalab-cli ] || scripts/build.sh
build/app/dynalab-cli ladder pendulum --seeds "$seeds" --jobs "$jobs" --out "$out"
