#!/usr/bin/env bash
# Installs the Debian 12 packages PaperLab builds and tests with. Skips what is already
# installed, uses sudo when not root, and says what it does.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-svg-dev libqt6svg6 qt6-qpa-plugins
  libqcustomplot-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  qt6-webengine-dev libqt6webenginecore6-bin libjs-katex
  libprotobuf-dev protobuf-compiler
  libsqlite3-dev
  xvfb xauth poppler-utils fonts-noto-cjk
  clang libclang-rt-14-dev llvm clang-format-14
  # The test builds link with lld: ~110 test programs, each linked twice (GCC and ASan).
  lld
  # Remote-run tests: a real OpenSSH server and one-node Slurm on loopback (tests/remote).
  openssh-server openssh-client munge slurmctld slurmd slurm-client
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} build packages are already installed."
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done."
