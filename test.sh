#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (GUI tests under Xvfb), then the
# sanitizer builds (scripts/sanitize.sh) and a short run of every fuzz target
# (scripts/fuzz_smoke.sh). DYNALAB_QUICK=1 skips the last two.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install_deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)")
if [ -z "${DYNALAB_QUICK:-}" ]; then
  scripts/sanitize.sh
  scripts/fuzz_smoke.sh
fi
