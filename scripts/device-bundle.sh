#!/bin/sh
# Packs what a GPU host without Qt or protobuf needs to run PaperLab's Qt-side GPU checks
# (tests/playground/gpu_fanout_check) and to build the runner's protobuf protocol there:
#   BUNDLE/bin      the checks built here
#   BUNDLE/lib      their shared libraries except the C/C++ runtime (the host's are newer)
#   BUNDLE/pb       protoc, libprotobuf/libprotoc and protobuf's headers, for
#                   cmake -S kernels -DProtobuf_PROTOC_EXECUTABLE=BUNDLE/pb/bin/protoc ...
# The device tool carries BUNDLE (keep it under .gpu/, which git ignores); there:
#   LD_LIBRARY_PATH=BUNDLE/lib:BUNDLE/pb/lib BUNDLE/bin/gpu_fanout_check --runner RUNNER
# Usage: scripts/device-bundle.sh BUILD_DIR BUNDLE
set -eu
build=${1:?build dir}; out=${2:?bundle dir}
rm -rf "$out"; mkdir -p "$out/bin" "$out/lib" "$out/pb/bin" "$out/pb/lib" "$out/pb/include/google"
cp "$build/tests/playground/gpu_fanout_check" "$out/bin/"
# Every library the checks load, except the ones every Linux host has in a newer version.
ldd "$out"/bin/* | awk '$3 ~ /^\// {print $3}' | sort -u | while read -r lib; do
    case $(basename "$lib") in
        libc.so*|libm.so*|libdl.so*|librt.so*|libpthread.so*|ld-linux*|libstdc++.so*|libgcc_s.so*) ;;
        *) cp -L "$lib" "$out/lib/" ;;
    esac
done
cp "$(command -v protoc)" "$out/pb/bin/"
for l in libprotoc.so.32 libprotobuf.so.32; do cp -L "/lib/x86_64-linux-gnu/$l" "$out/pb/lib/"; done
ln -s libprotobuf.so.32 "$out/pb/lib/libprotobuf.so"
cp -r /usr/include/google/protobuf "$out/pb/include/google/"
# ICU's data library is most of the size and compresses well: packed, unpacked there.
( cd "$out/lib" && for f in libicudata.so.*; do [ -e "$f" ] && xz -T2 -6 "$f"; done; true )
du -sh "$out"
