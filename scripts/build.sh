#!/usr/bin/env bash
# Configure and build one flavour: scripts/build.sh [release|asan|tsan] [targets...].
# Builds every target unless some are named. Prints the build dir.
set -euo pipefail
cd "$(dirname "$0")/.."
flavour="${1:-release}"
case "$flavour" in
    release) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
    asan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=address) ;;
    tsan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=thread) ;;
    *) echo "usage: $0 [release|asan|tsan]" >&2; exit 2 ;;
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
