#!/usr/bin/env bash
# Builds PaperLab and opens the app on the bundled catalog (the index is built on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/paperlab-ccache}"
cmake --preset release
cmake --build --preset release --parallel "$(nproc)"
app=build/release/app/gui/paperlab
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found. Here is the catalog from the CLI instead:"
  build/release/app/cli/paperlab-cli stats
  echo "run: to open the window, run under X (ssh -X, or xvfb-run -s '-screen 0 1600x1000x24' $app),"
  echo "     or add '-platform offscreen' to run it without showing anything: $app -platform offscreen"
  exit 0
fi
exec "$app" "$@"
