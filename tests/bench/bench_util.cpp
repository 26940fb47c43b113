#include "bench_util.hpp"

#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bench {

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Figures figures(std::vector<double> values) {
    Figures f;
    if (values.empty()) return f;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    f.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    f.min = values.front();
    f.max = values.back();
    return f;
}

std::string fmt(double value, int decimals, const char *suffix) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%.*f%s", decimals, value, suffix);
    return buf;
}

std::string fmt_range(const Figures &f, int decimals, const char *suffix) {
    return fmt(f.median, decimals, suffix) + " (" + fmt(f.min, decimals) + "-" +
           fmt(f.max, decimals) + ")";
}

void print_row(const std::string &name, const std::string &baseline, const std::string &figure,
               const std::string &ratio, const std::string &target, bool met) {
    std::printf("ROW|%s|%s|%s|%s|%s|%s\n", name.c_str(), baseline.empty() ? "-" : baseline.c_str(),
                figure.c_str(), ratio.empty() ? "-" : ratio.c_str(), target.c_str(),
                met ? "met" : "NOT met");
    std::fflush(stdout);
}

void die(const std::string &what) {
    std::fprintf(stderr, "bench: %s\n", what.c_str());
    std::exit(1);
}

void check(ec_status s, const char *what) {
    if (s != EC_OK)
        die(std::string(what) + ": " + ec_status_name(s) + ": " + ec_last_error_message());
}

Emulator::Emulator(const char *path, const std::vector<const char *> &flags) {
    std::vector<const char *> argv = flags;
    argv.push_back(nullptr);
    if (emu_start(&e, path, argv.data()) != 0) die("cannot start the emulator");
    char *body = nullptr;
    if (emu_request(&e, "POST", "/__emulator/keys", "{}", &body) != 201) die("cannot mint a key");
    char minted[128];
    if (emu_json_string(body, "apiKey", minted, sizeof minted) != 0) die("no apiKey");
    std::free(body);
    key = minted;
}

Emulator::~Emulator() {
    emu_stop(&e);
}

namespace {

// Every thread of process pid gets `cpus` (threads started later inherit it from their parent).
void set_process_cpus(pid_t pid, const cpu_set_t &cpus) {
    const std::string dir = "/proc/" + std::to_string(pid) + "/task";
    DIR *tasks = opendir(dir.c_str());
    if (!tasks) return;
    while (dirent *entry = readdir(tasks)) {
        const pid_t tid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (tid > 0) sched_setaffinity(tid, sizeof cpus, &cpus);
    }
    closedir(tasks);
}

}  // namespace

SharedCpu::SharedCpu(pid_t pid) : pid_(pid) {
    if (sched_getaffinity(0, sizeof self_, &self_) != 0 || CPU_COUNT(&self_) < 2) return;
    if (sched_getaffinity(pid, sizeof other_, &other_) != 0) return;
    int first = 0;
    while (!CPU_ISSET(first, &self_)) ++first;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) return;
    set_process_cpus(pid, one);
    pinned_ = true;
}

SharedCpu::~SharedCpu() {
    if (!pinned_) return;
    set_process_cpus(pid_, other_);
    sched_setaffinity(0, sizeof self_, &self_);
}

ec_cloud *make_cloud(const Emulator &emulator, uint32_t queue_capacity, bool with_key) {
    ec_cloud_options o;
    check(ec_cloud_options_init(&o, sizeof o), "options_init");
    o.no_config_file = 1;
    o.base_url = emulator.e.url;
    o.api_key = with_key ? emulator.key.c_str() : nullptr;
    o.insecure_local = 1;
    o.job_poll_interval_ms = 10;
    o.event_queue_capacity = queue_capacity;
    ec_cloud *cloud = nullptr;
    check(ec_cloud_create(&o, &cloud), "ec_cloud_create");
    return cloud;
}

void drain_events(ec_cloud *cloud, int32_t quiet_ms) {
    ec_event *ev = nullptr;
    while (ec_cloud_wait_event(cloud, quiet_ms, &ev) == EC_OK) ec_event_free(ev);
}

std::string connect_agent(ec_cloud *cloud) {
    char *created = nullptr;
    check(ec_cloud_agent_create_sync(cloud, R"({"agentName":"bench"})", -1, &created),
          "agent_create");
    char id[64] = "";
    if (emu_json_string(created, "id", id, sizeof id) != 0) die("no agent id");
    ec_free(created);
    char *connected = nullptr;
    check(ec_cloud_connect_sync(cloud, id, 30'000, &connected), "connect");
    ec_free(connected);
    drain_events(cloud, 100);
    return id;
}

std::string bridge_body(const std::string &text, uint64_t serial) {
    char id[64];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012llx",
                  static_cast<unsigned long long>(serial));
    return std::string(R"({"jsonrpc":"2.0","id":")") + id +
           R"(","method":"message.send","params":{"text":")" + text +
           R"(","roomId":"web-chat","clientMessageId":")" + id + R"(","channelType":"DM"}})";
}

}  // namespace bench
