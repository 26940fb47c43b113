#!/usr/bin/env bash
# Regenerates the surfaces derived from the operation catalogue (tools/gen_surfaces.py: Python
# types and resources, the CLI's table, index.d.ts's generated section, docs/operations.md) from
# the catalogue of the library as built. `scripts/gen_surfaces.sh --check` only reports stale files.
#   EC_BUILD_DIR   build whose catalogue dump tool (tools/ec_catalogue) is used (build/release)
# Without that tool, the catalogue comes from the importable elizacloud._core.
set -euo pipefail
cd "$(dirname "$0")/.."
dump="${EC_BUILD_DIR:-build/release}/tools/ec_catalogue"
if [ -x "$dump" ]; then
    "$dump" | python3 tools/gen_surfaces.py --catalogue - "$@"
else
    python3 -c 'from elizacloud import _core; print(_core.operations_json())' \
        | python3 tools/gen_surfaces.py --catalogue - "$@"
fi
