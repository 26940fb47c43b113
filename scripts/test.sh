#!/usr/bin/env bash
# Runs every test suite: C++ and C (CTest: release, ASan+UBSan with GCC and with clang), the
# libFuzzer targets for a bounded time, the threaded components under ThreadSanitizer, Python, Node.
# Fails if any suite fails or if a suite ran no test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

release=$(scripts/build.sh release)
echo "== CTest (release)"
ctest --test-dir "$release" --output-on-failure --no-tests=error --timeout 300 -j2

asan=$(scripts/build.sh asan)
echo "== CTest (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$asan" --output-on-failure --no-tests=error --timeout 600 -j2

clang_asan=$(scripts/build.sh clang-asan)
echo "== CTest (clang ASan + UBSan, with a smoke run of every fuzzer)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$clang_asan" --output-on-failure --no-tests=error --timeout 600 -j2

echo "== fuzzers (${FUZZ_SECONDS:-30} s each)"
scripts/fuzz.sh "$clang_asan"

# Everything with threads of its own or shared between threads: engine, event queue and
# dispatcher, orchestration, the REST dispatcher and server, login, the config store, the C ABI.
tsan=$(scripts/build.sh tsan engine_test event_queue_test connection_monitor_test \
    backup_scheduler_test cloud_manager_test cloud_manager_emulator_test rest_api_test rest_routes_test \
    rest_c_api_test rest_checks_test rest_server_test login_test config_store_test c_api_test)
echo "== CTest (ThreadSanitizer: engine, events, orchestration, REST, login, config, C ABI)"
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/sanitizers/tsan.supp" \
    ctest --test-dir "$tsan" --output-on-failure --no-tests=error --timeout 600 -j2 \
    -R '^(Engine|Timer|EventQueue|EventDispatcher|ConnectionMonitor|BackupScheduler|CloudManager|ManagerEmulator|Rest|Login|ConfigPath|ConfigStoreTest|CApi)'

if [ -d tests/python ] && ls tests/python/test_*.py >/dev/null 2>&1; then
    # elizacloud itself is the package scripts/setup.sh installed; the tests' emulator comes from
    # the release build. pytest's exit 5 (no test collected) fails the run like any failure.
    echo "== pytest"
    EC_BUILD_DIR="$PWD/$release" python3 -m pytest -q tests/python
fi

echo "== node"
# The package loads its library from prebuilds/ (as an installed package would): stage the
# release build's, type-check index.d.ts, then run the suite (each file starts its own emulator).
node_prebuild="bindings/node/prebuilds/$(node -p 'process.platform + "-" + process.arch')"
mkdir -p "$node_prebuild"
cp -L "$release/core/libelizacloud.so.0" "$node_prebuild/libelizacloud.so.0"
bindings/node/node_modules/.bin/tsc --noEmit -p tests/node
EC_BUILD_DIR="$PWD/$release" EC_TSC_CHECKED=1 node --test tests/node

echo "all test suites passed"
