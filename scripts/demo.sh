#!/usr/bin/env bash
# Installs what is missing, builds, and runs the demo against the bundled emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
release=$(scripts/build.sh release)
exec "$release/tests/cpp/elizacloud-smoke"
