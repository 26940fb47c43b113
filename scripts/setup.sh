#!/usr/bin/env bash
# Installs whatever this project needs that the machine lacks. Idempotent and quick when nothing
# is missing. Debian 12 (bookworm) with Python 3.11+ and Node 20 assumed.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
    build-essential cmake ninja-build pkg-config git
    libcurl4-openssl-dev libssl-dev rapidjson-dev libspdlog-dev libfmt-dev
    libcpp-httplib-dev libgtest-dev clang clang-format
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

PY_PACKAGES=(pytest)
py_missing=()
for pkg in "${PY_PACKAGES[@]}"; do
    python3 -c "import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('${pkg//-/_}') else 1)" \
        || py_missing+=("$pkg")
done
if ((${#py_missing[@]})); then
    echo "setup: installing Python packages: ${py_missing[*]}"
    python3 -m pip install -q "${py_missing[@]}"
fi
