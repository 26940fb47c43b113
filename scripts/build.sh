#!/usr/bin/env bash
# Configure and build one flavour: scripts/build.sh [release|pgo|asan|tsan|clang-asan] [targets...].
# scripts/build.sh pgo-profile: only makes the pgo flavour's profile (when it must) and prints its
# directory (scripts/wheel.sh, which compiles the core itself).
# pgo: the release build optimised with a profile of the library's hot paths (cmake/Pgo.cmake):
#      an instrumented build in build/pgo-gen, its training run (scripts/pgo_train.sh) into
#      build/pgo-profile, then build/pgo with the profile. Trained again when the library's
#      sources or build files, or the training programs, are newer than the profile (or without
#      one); EC_PGO_RETRAIN=1 forces it. GCC only.
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
    pgo-profile) ;;
    asan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=address) ;;
    tsan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=thread) ;;
    clang-asan) args=(-DCMAKE_BUILD_TYPE=Debug -DEC_SANITIZE=address -DEC_BUILD_FUZZERS=ON
                      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
    *) echo "usage: $0 [release|pgo|pgo-profile|asan|tsan|clang-asan]" >&2; exit 2 ;;
esac

if [ "$flavour" = pgo ] || [ "$flavour" = pgo-profile ]; then
    # What the profile depends on: the library's sources and build files, and the training
    # programs (the benchmarks and the emulator they talk to).
    inputs=(core cmake CMakeLists.txt tests/bench tests/emulator scripts/pgo_train.sh)
    stamp="$profile/.trained"
    if [ "${EC_PGO_RETRAIN:-0}" = 1 ] || [ ! -f "$stamp" ] ||
        [ -n "$(find "${inputs[@]}" -newer "$stamp" -type f -print -quit)" ]; then
        gen=build/pgo-gen
        if [ ! -f "$gen/build.ninja" ]; then
            cmake -S . -B "$gen" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEC_PGO=generate \
                "-DEC_PGO_DIR=$profile" >/dev/null
        fi
        rm -rf "$profile"
        mkdir -p "$profile"
        # Stamped with the time the training started: a file changed during it is newer.
        touch "$stamp.new"
        scripts/pgo_train.sh "$gen"
        # Every object built with a profile depends on the stamp (cmake/Pgo.cmake): the next
        # build of any profile-guided directory compiles them again.
        mv "$stamp.new" "$stamp"
    fi
    if [ "$flavour" = pgo-profile ]; then
        echo "$profile"
        exit 0
    fi
fi
dir="build/$flavour"
# pgo: configured each time, so that its objects depend on the profile's stamp (cmake/Pgo.cmake)
# even when the directory was configured before there was one.
if [ ! -f "$dir/build.ninja" ] || [ "$flavour" = pgo ]; then
    cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
fi
shift || true
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$dir" --parallel "$(nproc)" "${targets[@]}" >&2
echo "$dir"
