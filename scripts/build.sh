#!/usr/bin/env bash
# Configure and build one flavour: scripts/build.sh [release|asan|tsan|clang-asan] [targets...].
# clang-asan: the ASan+UBSan build with clang, plus the libFuzzer targets (tests/fuzz).
# Builds every target unless some are named. Prints the build dir.
set -euo pipefail
cd "$(dirname "$0")/.."
flavour="${1:-release}"
case "$flavour" in
    release) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
    asan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=address) ;;
    tsan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=thread) ;;
    clang-asan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=address -DEC_BUILD_FUZZERS=ON
                      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
    *) echo "usage: $0 [release|asan|tsan|clang-asan]" >&2; exit 2 ;;
esac
dir="build/$flavour"
if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
fi
shift || true
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$dir" --parallel "$(nproc)" "${targets[@]}" >&2
echo "$dir"
