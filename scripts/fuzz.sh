#!/usr/bin/env bash
# Runs every libFuzzer target of a clang-asan build for a bounded time (FUZZ_SECONDS, default 30),
# two at a time, each with its dictionary and seed corpus (tests/fuzz/<name>.dict,
# tests/fuzz/corpus/<name>). What a run finds goes to a scratch corpus, never into the repository.
# A crash, sanitizer report or broken invariant fails the run and leaves the input in $out.
#   scripts/fuzz.sh [build-dir]        (default: build/clang-asan, built if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-}"
[ -n "$dir" ] || dir=$(scripts/build.sh clang-asan)
seconds="${FUZZ_SECONDS:-30}"
out="$dir/fuzz-runs"
rm -rf "$out"
mkdir -p "$out"

run_one() {
    local fuzzer=$1 dir=$2 seconds=$3 out=$4
    local name=${fuzzer%_fuzz}
    mkdir -p "$out/$name"
    if "$dir/tests/fuzz/$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -dict="tests/fuzz/$name.dict" -artifact_prefix="$out/$name/" \
        "$out/$name" "tests/fuzz/corpus/$name" >"$out/$name.log" 2>&1; then
        echo "fuzz: $fuzzer: $(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$out/$name.log") runs in ${seconds} s, no finding"
    else
        echo "fuzz: $fuzzer FAILED; log $out/$name.log, inputs $out/$name/" >&2
        tail -n 40 "$out/$name.log" >&2
        return 1
    fi
}
export -f run_one

fuzzers=(sse_fuzz json_envelope_fuzz url_policy_fuzz query_fuzz config_fuzz call_params_fuzz rest_dispatch_fuzz)
printf '%s\n' "${fuzzers[@]}" |
    xargs -P 2 -I{} bash -c 'run_one "$@"' _ {} "$dir" "$seconds" "$out"
