#!/usr/bin/env bash
# Installs a PaperLab .deb into a clean Debian 12 (bookworm) root and runs what it installed
# there: the CLI opening the bundled library on a fresh HOME, the runner from libexec, and
# the GUI painting a screenshot offscreen. Dependencies come from the Debian mirror, so a
# missing Depends shows up here as a failure to load a library or plugin.
#
#   sudo scripts/check-deb.sh build/release/paperlab_*.deb [ROOT]
#
# Needs root (debootstrap, chroot, mounts). Not part of CI: the first run bootstraps the
# root (minutes); later runs reuse ROOT, removing an earlier paperlab and what it pulled in.
set -euo pipefail

deb=$(realpath "${1:?usage: check-deb.sh PACKAGE.deb [ROOT]}")
root=${2:-/tmp/paperlab-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
started=$(date +%s)

step() { printf '\n== %s (%ds)\n' "$*" $(( $(date +%s) - started )); }
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

command -v debootstrap >/dev/null || apt-get install -y debootstrap

if [[ ! -x $root/usr/bin/apt-get ]]; then
    step "debootstrap bookworm into $root"
    nice debootstrap --variant=minbase bookworm "$root" "$mirror"
fi

mounted=()
cleanup() {
    local m
    for m in "${mounted[@]}"; do umount "$m" || umount -l "$m"; done
}
trap cleanup EXIT
for fs in proc dev; do
    mountpoint -q "$root/$fs" || { mount --bind "/$fs" "$root/$fs"; mounted=("$root/$fs" "${mounted[@]}"); }
done

cp /etc/resolv.conf "$root/etc/resolv.conf"
# Point releases and security updates too: the package is built against an updated
# Debian 12, so its versioned Depends may need them.
cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF

step "a clean root: no paperlab, nothing it pulled in"
in_root apt-get purge -y -q paperlab >/dev/null 2>&1 || true
in_root apt-get autoremove -y -q --purge >/dev/null 2>&1
rm -rf "$root/tmp/paperlab-check"
mkdir -p "$root/tmp/paperlab-check"
cp "$deb" "$root/tmp/paperlab-check/"

step "package"
dpkg-deb --field "$deb" Package Version Section Installed-Size Depends Recommends
ls -l "$deb"

step "apt-get install ./$(basename "$deb") (dependencies from $mirror)"
in_root apt-get update -q >/dev/null
before=$(in_root dpkg-query -W -f '.\n' | wc -l)
# Recommends left out: the package must run on its Depends alone.
log=$root/tmp/paperlab-check/apt.log
in_root sh -c "cd /tmp/paperlab-check && nice apt-get install -y -q --no-install-recommends ./$(basename "$deb")" >"$log" 2>&1 \
    || { cat "$log"; echo "FAIL: apt-get install"; exit 1; }
grep -E '^(Setting up paperlab|[0-9]+ upgraded)' "$log"
after=$(in_root dpkg-query -W -f '.\n' | wc -l)
echo "packages in the root: $before before, $after after"
in_root dpkg -L paperlab | grep -E '/(bin|libexec/paperlab)/|\.desktop$|\.svg$|/library$'

step "paperlab-cli stats on a fresh HOME (opens the bundled library)"
home=/tmp/paperlab-check/home
in_root env HOME=$home paperlab-cli stats | tee "$root/tmp/paperlab-check/stats.txt"
papers=$(awk '$1 == "papers" { print $2 }' "$root/tmp/paperlab-check/stats.txt")
[[ $papers -gt 0 ]] || { echo "FAIL: no papers in the bundled library"; exit 1; }
[[ -d $root$home/.local/share/paperlab/library/meta ]] || { echo "FAIL: the library was not copied to the data folder"; exit 1; }
echo "library copied to $home/.local/share/paperlab/library ($(find "$root$home/.local/share/paperlab/library" -type f | wc -l) files)"

step "paperlab-runner --list from libexec"
in_root /usr/libexec/paperlab/paperlab-runner --list >"$root/tmp/paperlab-check/kernels.txt"
cut -c1-120 "$root/tmp/paperlab-check/kernels.txt"
echo "kernels listed: $(python3 -c 'import json, sys; print(len(json.load(sys.stdin)["kernels"]))' <"$root/tmp/paperlab-check/kernels.txt")"

step "paperlab -platform offscreen --screenshot"
shot=/tmp/paperlab-check/x.png
install -d -m 700 "$root/tmp/paperlab-check/runtime"
in_root env HOME=/tmp/paperlab-check/gui-home XDG_RUNTIME_DIR=/tmp/paperlab-check/runtime \
    timeout 120 paperlab -platform offscreen --screenshot $shot
[[ -s $root$shot ]] || { echo "FAIL: no screenshot"; exit 1; }
[[ $(head -c 8 "$root$shot" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || { echo "FAIL: not a PNG"; exit 1; }
echo "screenshot: $(stat -c %s "$root$shot") bytes, $(file -b "$root$shot" 2>/dev/null || echo PNG)"
cp "$root$shot" "${SCREENSHOT_OUT:-/tmp/paperlab-check-screenshot.png}"

step "OK: installed, opened $papers papers"
