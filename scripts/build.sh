#!/usr/bin/env bash
# Configure and build one flavour: scripts/build.sh [release|pgo|asan|tsan|clang-asan] [targets...].
# pgo: the release build optimised with a profile of the library's hot paths (cmake/Pgo.cmake):
#      an instrumented build in build/pgo-gen, its training run (scripts/pgo_train.sh) into
#      build/pgo-profile, then build/pgo with the profile. Trained again when a source of core/
#      is newer than the profile (or without one); EC_PGO_RETRAIN=1 forces it.
# clang-asan: the ASan+UBSan build with clang, plus the libFuzzer targets (tests/fuzz).
# Builds every target unless some are named. Prints the build dir.
set -euo pipefail
cd "$(dirname "$0")/.."
flavour="${1:-release}"
profile="$PWD/build/pgo-profile"
case "$flavour" in
    release) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
    # No compiler cache: it cannot tell that a cached object was built with an older profile.
    pgo) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DEC_PGO=use "-DEC_PGO_DIR=$profile"
               -DCMAKE_C_COMPILER_LAUNCHER= -DCMAKE_CXX_COMPILER_LAUNCHER=) ;;
    asan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=address) ;;
    tsan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=thread) ;;
    clang-asan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=address -DEC_BUILD_FUZZERS=ON
                      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
    *) echo "usage: $0 [release|pgo|asan|tsan|clang-asan]" >&2; exit 2 ;;
esac

if [ "$flavour" = pgo ]; then
    stamp="$profile/.trained"
    if [ "${EC_PGO_RETRAIN:-0}" = 1 ] || [ ! -f "$stamp" ] ||
        [ -n "$(find core -newer "$stamp" -type f -print -quit)" ]; then
        gen=build/pgo-gen
        if [ ! -f "$gen/build.ninja" ]; then
            cmake -S . -B "$gen" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEC_PGO=generate \
                "-DEC_PGO_DIR=$profile" >/dev/null
        fi
        cmake --build "$gen" --parallel "$(nproc)" --target send_bench sse_bench rest_bench \
            manager_scale_bench elizacloud-emulator >&2
        rm -rf "$profile"
        mkdir -p "$profile"
        scripts/pgo_train.sh "$gen"
        touch "$stamp"
        # Objects built with the former profile are stale: the next step compiles them again.
        if [ -f build/pgo/build.ninja ]; then cmake --build build/pgo --target clean >/dev/null; fi
    fi
fi
dir="build/$flavour"
if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
fi
shift || true
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$dir" --parallel "$(nproc)" "${targets[@]}" >&2
echo "$dir"
