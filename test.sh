#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (GUI tests under Xvfb), then the
# sanitizer builds (scripts/sanitize.sh, which also runs every fuzz target for a short time).
# DYNALAB_QUICK=1 skips the sanitizer builds. Each phase prints its wall time ("[time] ...").
set -euo pipefail
cd "$(dirname "$0")"
source scripts/phase.sh
release_ctest() { (cd build && ctest --output-on-failure -j"$(nproc)"); }
phase "install" scripts/install_deps.sh
phase "Release build" scripts/build.sh
phase "Release ctest" release_ctest
if [ -z "${DYNALAB_QUICK:-}" ]; then
  scripts/sanitize.sh
fi
echo "[time] test.sh total: $SECONDS s"
