#!/usr/bin/env bash
# Installs the Debian packages dynalab needs that are missing (run.sh and test.sh call this).
# Works as root or as a user with sudo; does nothing when everything is present.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libeigen3-dev nlohmann-json3-dev libbox2d-dev doctest-dev libbenchmark-dev  # core, envs, tests, bench
  libcli11-dev                                                                # command lines of both programs
  librsvg2-dev                                                                # PNG copies of aggregate's SVG figures (dynalab-cli)
  liblbfgs-dev                                                                # L-BFGS of the GP hyperparameter fit (core/models/gp)
  libglfw3-dev libimgui-dev libstb-dev libgl1-mesa-dev libgl1-mesa-dri       # the desktop app
  fonts-dejavu-core                                                           # presentation-mode font
  libavcodec-dev libavformat-dev libswscale-dev libavutil-dev                 # Record: MP4 (H.264 via libx264) and GIF
  xvfb xauth                                                                  # GUI tests without a display
  clang libclang-rt-14-dev                                                    # sanitizer and libFuzzer builds
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing missing Debian packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
