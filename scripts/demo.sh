#!/usr/bin/env bash
# Installs what is missing, builds, and runs the demo (`elizacloud demo`) against the bundled
# emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh  # also builds and installs the Python package with its bundled emulator
exec python3 -m elizacloud demo
