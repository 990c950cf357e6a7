#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (GUI tests under Xvfb), then the
# sanitizer builds (scripts/sanitize.sh, which also runs every fuzz target for a short time).
# DYNALAB_QUICK=1 skips the sanitizer builds.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install_deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)")
if [ -z "${DYNALAB_QUICK:-}" ]; then
  scripts/sanitize.sh
fi
