#!/bin/sh
# One FlashAttention sweep over every GPU of this host through the playground's RunSession
# (tests/playground/gpu_fanout_check), beside the same sweep on one GPU. The GPU host has
# no Qt or protobuf: the check and protobuf come in a bundle made by scripts/device-bundle.sh,
# the runner is built here against that protobuf so it speaks the app's protocol.
# Usage (repository root): kernels/bench/run_fanout.sh OUT BUNDLE [gpu_fanout_check options]
set -eu
out=$1; bundle=$(realpath "$2"); shift 2
mkdir -p "$out"
nvidia-smi -L || true
ldd --version | head -1
python3 -c 'import torch; print("torch", torch.__version__, "GPUs", torch.cuda.device_count())' || true
lib=/tmp/paperlab-bundle-lib
rm -rf "$lib"; cp -r "$bundle/lib" "$lib"
for f in "$lib"/*.xz; do [ -e "$f" ] && unxz -f "$f"; done
export LD_LIBRARY_PATH="$lib:$bundle/pb/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
build=/tmp/paperlab-fanout-build
cmake -S kernels -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPAPERLAB_CUDA_GENCODE="-gencode=arch=compute_90a,code=sm_90a" \
    -DProtobuf_PROTOC_EXECUTABLE="$bundle/pb/bin/protoc" -DProtobuf_INCLUDE_DIR="$bundle/pb/include" \
    -DProtobuf_LIBRARY="$bundle/pb/lib/libprotobuf.so" > "$out/configure.log" 2>&1 || { tail -30 "$out/configure.log"; exit 1; }
grep -i "protobuf protocol" "$out/configure.log" || true
cmake --build "$build" --target paperlab-runner -j "$(nproc)" > "$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
"$build/paperlab-runner" --devices
"$bundle/bin/gpu_fanout_check" --runner "$build/paperlab-runner" --json "$out/fanout.json" "$@" 2>&1 | tee "$out/fanout.txt"
