// Shared parts of the benchmark programs (tests/bench, scripts/bench.sh): the emulator with an
// API key and a connected agent, raw libcurl helpers for the baselines, figures (median,
// min–max) and the one result-line format scripts/bench.sh turns into its table.
//
// Every program measures the raw-libcurl baseline and elizacloud in the same run, in interleaved
// rounds (baseline, library, baseline, library, …), so a machine that slows down for a while
// slows both; ratios are taken per round and their median is reported.
#pragma once

#include <elizacloud/elizacloud.h>
#include <sched.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "emu.h"

namespace bench {

int64_t now_ns();

struct Figures {
    double median = 0, min = 0, max = 0;
};
Figures figures(std::vector<double> values);

// One row of the table: `figure` is the elizacloud figure, `baseline` the raw one (empty when the
// row has none); `ratio` the per-round ratios (empty when none); target and met as printed.
// Printed as one line "ROW|name|baseline|figure|ratio|target|met" on stdout.
void print_row(const std::string &name, const std::string &baseline, const std::string &figure,
               const std::string &ratio, const std::string &target, bool met);
// value with `decimals` decimals and a suffix; a range is "median (min-max)".
std::string fmt(double value, int decimals, const char *suffix = "");
std::string fmt_range(const Figures &f, int decimals, const char *suffix = "");

[[noreturn]] void die(const std::string &what);
void check(ec_status s, const char *what);

// The emulator, started with flags (NULL-terminated), an API key minted for its default user.
struct Emulator {
    emu e{};
    std::string key;
    Emulator(const char *path, const std::vector<const char *> &flags);
    ~Emulator();
    Emulator(const Emulator &) = delete;
    Emulator &operator=(const Emulator &) = delete;
};

// While it lives, this thread and every thread of process `pid` (the emulator) run on one CPU,
// the first this thread may use; then both get their former CPUs back. For sequential
// exchanges: unpinned, the scheduler put the emulator's thread for a connection on the client's
// CPU or on the other one, per connection and per run, and the two placements differ by about
// 40 µs per call (the wake-up across CPUs), which swung a ratio between 0.75x and 1.6x from one
// run to the next. Nothing is pinned when one CPU is all there is.
class SharedCpu {
public:
    explicit SharedCpu(pid_t pid);
    ~SharedCpu();
    SharedCpu(const SharedCpu &) = delete;
    SharedCpu &operator=(const SharedCpu &) = delete;

private:
    pid_t pid_;
    bool pinned_ = false;
    cpu_set_t self_{};
    cpu_set_t other_{};
};

// A cloud handle on the emulator (no config file, plain http allowed), and its connected agent.
ec_cloud *make_cloud(const Emulator &emulator, uint32_t queue_capacity = 0, bool with_key = true);
std::string connect_agent(ec_cloud *cloud);  // creates one agent, connects, drains the events
void drain_events(ec_cloud *cloud, int32_t quiet_ms);

// The bridge's JSON-RPC message.send body as the library sends it (same size, fresh ids).
std::string bridge_body(const std::string &text, uint64_t serial);

}  // namespace bench
