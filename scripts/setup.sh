#!/usr/bin/env bash
# Installs whatever this project needs that the machine lacks. Idempotent and quick when nothing
# is missing. Debian 12 (bookworm) with Python 3.11+ and Node 20 assumed.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
    build-essential cmake ninja-build pkg-config git
    libcurl4-openssl-dev libssl-dev rapidjson-dev libspdlog-dev libfmt-dev
    libcpp-httplib-dev libmicrohttpd-dev libgtest-dev clang clang-format libclang-rt-14-dev
    chromium chromium-driver
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python build and test tools: scikit-build-core and pybind11 build the elizacloud package (built
# without isolation so its build directory persists), pytest and mypy test it, selenium drives
# Chromium (the Debian packages above) in the dashboard's browser tests.
PY_PACKAGES=(pytest scikit-build-core pybind11 mypy selenium)
py_missing=()
for pkg in "${PY_PACKAGES[@]}"; do
    python3 -c "import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('${pkg//-/_}') else 1)" \
        || py_missing+=("$pkg")
done
if ((${#py_missing[@]})); then
    echo "setup: installing Python packages: ${py_missing[*]}"
    python3 -m pip install -q "${py_missing[@]}"
fi

# The elizacloud Python package (elizacloud._core with the C ABI compiled in, the CLI, the bundled
# emulator), built in build/<wheel tag> and installed for python3. Skipped when none of its inputs
# changed since the last install and it still imports; otherwise ninja rebuilds only what changed.
py_inputs_hash() {
    find pyproject.toml CMakeLists.txt cmake core python bindings/python tests/emulator -type f \
        -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64
}
py_stamp="build/python-package.stamp"
py_want="$(py_inputs_hash) $(command -v python3)"
if [ "$(cat "$py_stamp" 2>/dev/null)" != "$py_want" ] \
    || ! (cd / && python3 -c "import elizacloud._core" 2>/dev/null); then
    # pip shows a build's output only with -v: the steps ("*** Building project with Ninja...",
    # "[12/126] Building CXX object …") are shown, the rest goes to the log.
    mkdir -p build
    pip_log="build/pip-install.log"
    echo "setup: building and installing the elizacloud Python package (full log: $pip_log)"
    if ! PIP_ROOT_USER_ACTION=ignore python3 -m pip install -v --no-build-isolation --no-deps . 2>&1 \
        | tee "$pip_log" | { grep --line-buffered -E '^ *(\*\*\*|\[[0-9]+/[0-9]+\] )' || true; }; then
        tail -n 40 "$pip_log" >&2
        echo "setup: pip install of the Python package failed (full log: $pip_log)" >&2
        exit 1
    fi
    echo "$py_want" >"$py_stamp"
fi

# The Node package's dependencies (bindings/node: koffi at run time; typescript and @types/node for
# the tests), installed with `npm ci` from package-lock.json. Skipped while node_modules matches
# the lock file it was installed from. npm keeps the tarballs in its cache, so the tests can
# `npm install` the packed package offline.
if ! command -v npm >/dev/null 2>&1; then
    # Node.js is on every machine this runs on; a bare Debian gets its own (koffi runs on it).
    echo "setup: installing Node.js and npm from Debian"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
node_stamp="bindings/node/node_modules/.setup-stamp"
node_want="$(cat bindings/node/package.json bindings/node/package-lock.json | sha256sum | cut -c1-64)"
if [ "$(cat "$node_stamp" 2>/dev/null)" != "$node_want" ]; then
    echo "setup: installing the Node package's dependencies (npm ci in bindings/node)"
    (cd bindings/node && npm ci --no-audit --no-fund --loglevel=error) \
        || { echo "setup: npm ci in bindings/node failed" >&2; exit 1; }
    echo "$node_want" >"$node_stamp"
fi
