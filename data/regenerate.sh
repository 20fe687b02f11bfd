#!/usr/bin/env bash
# Rebuilds data/library (the bundled catalog) from the five seed lists in data/seeds/ and
# the few papers in data/additions/ (an EfficientPaper folder),
# using PaperLab's own importers and its EfficientPaper folder exporter.
# usage: data/regenerate.sh [path/to/paperlab-cli]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="${1:-$here/../build/ci/app/cli/paperlab-cli}"
[ -x "$cli" ] || { echo "regenerate: build paperlab-cli first (or pass its path)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The README view first: it carries EfficientPaper's keys, which become the stable keys.
"$cli" --db "$tmp/seeds.sqlite" import "$here"/seeds/004_* "$here"/seeds/003_* "$here"/seeds/001_* "$here"/seeds/002_* "$here"/seeds/000_*
# Papers the seeds lack but a kernel implements (KIVI), with their real metadata.
"$cli" --db "$tmp/seeds.sqlite" import "$here"/additions
rm -rf "$here/library/meta" "$here/library/notes"
"$cli" --db "$tmp/seeds.sqlite" export library -o "$here/library"
