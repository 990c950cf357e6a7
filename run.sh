#!/usr/bin/env bash
# Installs what is missing, builds, and opens dynalab on its default lesson.
# Without a display (or without the GUI built) it runs the default experiment headless.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install_deps.sh
scripts/build.sh
if [ -x build/app/gui/dynalab ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/app/gui/dynalab "$@"
fi
[ -x build/app/gui/dynalab ] && echo "no display found: running the default experiment headless instead"
out=out/dyna_maze
build/app/dynalab-cli run dyna_maze --out "$out" "$@"
echo "outputs: $out/config.json (resolved config), $out/metrics.csv (steps and return per episode)"
