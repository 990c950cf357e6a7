#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (GUI tests under Xvfb).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install_deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)"
