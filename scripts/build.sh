#!/usr/bin/env bash
# Configure and build one flavour: scripts/build.sh [release|asan|tsan]. Prints the build dir.
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
cmake --build "$dir" --parallel "$(nproc)" >&2
echo "$dir"
