#!/usr/bin/env bash
# The training workload of the profile-guided build (cmake/Pgo.cmake): runs the library's hot
# paths against the emulator on loopback with the instrumented build in BUILD_DIR, whose runs
# write their counts to its EC_PGO_DIR. Called by scripts/build.sh pgo.
#   scripts/pgo_train.sh BUILD_DIR
# What it runs is what users run most, in proportions close to the benchmarks' (tests/bench):
# sequential and concurrent bridge sends, agent and OpenAI-style SSE streams through the pull
# queue, the local REST API with and without a key, and many managers connecting, beating and
# disconnecting. It builds those programs in BUILD_DIR first. Figures printed here are
# meaningless (instrumented code): the output goes to BUILD_DIR/pgo_train.log.
set -euo pipefail
dir="${1:?usage: scripts/pgo_train.sh BUILD_DIR}"
bin="$dir/tests/bench"
log="$dir/pgo_train.log"
cmake --build "$dir" --parallel "$(nproc)" --target send_bench sse_bench rest_bench \
    manager_scale_bench elizacloud-emulator >&2
: >"$log"
quiet() { "$@" >>"$log" 2>&1 || { echo "pgo_train: $* failed (output: $log)" >&2; exit 1; }; }
echo "pgo_train: training on $bin (about a minute)" >&2
quiet "$bin/send_bench" --rounds 3 --calls 500 --inflight-calls 3000
quiet "$bin/sse_bench" --rounds 2 --chars 20000
quiet "$bin/rest_bench" --rounds 2 --seconds 1
quiet "$bin/rest_bench" --rounds 2 --seconds 1 --key 0
quiet "$bin/manager_scale_bench" --managers 500 --interval-ms 30000 --seconds 2
