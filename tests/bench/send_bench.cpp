// send_bench: the bridge send through the C ABI against raw libcurl doing the same HTTP exchange
// (same URL, headers and body size) on the same emulator, in interleaved rounds.
//   sequential: ec_cloud_send_sync, one at a time, vs one curl easy handle with keep-alive,
//               alternating in slices of 25 calls within each round, with the emulator on the
//               client's CPU (bench::SharedCpu);
//               figure = µs per call, ratio = elizacloud / curl (lower is better).
//   in flight:  ec_cloud_send with 64 outstanding (pull queue, drained in batches) vs curl
//               multi with 64 easy handles; both capped at 32 connections to the host (the
//               engine's default cap);
//               figure = sends per second, ratio = elizacloud / curl (higher is better).
// Prints ROW lines (bench_util.hpp). Exit 1 only when a call fails.
//
// Usage: send_bench [--rounds N] [--calls N] [--inflight-calls N]
//        send_bench --profile N   (N sequential library calls only, for strace -c or perf)
//        send_bench --profile-raw N   (N sequential raw libcurl calls only, the same for curl)
//        send_bench --profile-inflight N   (N library sends, 64 in flight, only)
//        --single 1: one ec_cloud_wait_event per completion instead of ec_cloud_next_events
#include <curl/curl.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "bench_util.hpp"

namespace {

size_t collect(char *data, size_t size, size_t count, void *user) {
    static_cast<std::string *>(user)->append(data, size * count);
    return size * count;
}

struct RawClient {
    std::string url;
    curl_slist *headers = nullptr;
    uint64_t serial = 1;

    RawClient(const bench::Emulator &emulator, const std::string &agent) {
        url = std::string(emulator.e.url) + "/api/v1/milady/agents/" + agent + "/bridge";
        // The library's request headers, byte for byte (its User-Agent, its Accept).
        headers = curl_slist_append(headers, ("X-API-Key: " + emulator.key).c_str());
        headers = curl_slist_append(headers, "Accept: application/json");
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Expect:");
        headers = curl_slist_append(
            headers, (std::string("User-Agent: elizacloud/") + ec_version_string()).c_str());
    }
    ~RawClient() { curl_slist_free_all(headers); }

    // One easy handle prepared for a send; body and sink must outlive the transfer.
    void prepare(CURL *easy, std::string &body, std::string &sink) {
        body = bench::bridge_body("hello", serial++);
        sink.clear();
        curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &collect);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sink);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    }
};

// µs per call. One easy handle, and so one kept-alive connection, for the whole run, as the
// library's direct lane keeps its connection: a fresh connection per round ran faster over a
// run than a long-lived one (for curl as for the library), which favoured the baseline.
double raw_sequential(RawClient &raw, int calls) {
    static CURL *const easy = curl_easy_init();
    std::string body, sink;
    const int64_t start = bench::now_ns();
    for (int i = 0; i < calls; ++i) {
        raw.prepare(easy, body, sink);
        CURLcode rc = curl_easy_perform(easy);
        long code = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
        if (rc != CURLE_OK || code != 200) bench::die("raw send failed");
    }
    const int64_t end = bench::now_ns();
    return static_cast<double>(end - start) / 1e3 / calls;
}

double ec_sequential(ec_cloud *cloud, int calls) {
    const int64_t start = bench::now_ns();
    for (int i = 0; i < calls; ++i) {
        char *reply = nullptr;
        bench::check(ec_cloud_send_sync(cloud, "hello", nullptr, nullptr, -1, &reply), "send");
        ec_free(reply);
    }
    return static_cast<double>(bench::now_ns() - start) / 1e3 / calls;
}

constexpr int kInFlight = 64;
// --single 1: ec_cloud_wait_event for every completion (a library without ec_cloud_next_events).
bool g_single = false;

// CPU time of this process (every thread) in µs: less sensitive to a busy machine than the
// wall clock, so the stderr lines show it next to each round for diagnosis.
double cpu_us(bool user = true, bool system = true) {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto us = [](const timeval &t) { return static_cast<double>(t.tv_sec) * 1e6 + t.tv_usec; };
    return (user ? us(u.ru_utime) : 0) + (system ? us(u.ru_stime) : 0);
}

// Sends per second.
double raw_in_flight(RawClient &raw, int calls) {
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 32L);
    std::vector<CURL *> easies(kInFlight);
    std::vector<std::string> bodies(kInFlight), sinks(kInFlight);
    int issued = 0, done = 0;
    const int64_t start = bench::now_ns();
    for (int i = 0; i < kInFlight && issued < calls; ++i, ++issued) {
        easies[i] = curl_easy_init();
        curl_easy_setopt(easies[i], CURLOPT_PRIVATE, reinterpret_cast<char *>(i));
        raw.prepare(easies[i], bodies[i], sinks[i]);
        curl_multi_add_handle(multi, easies[i]);
    }
    while (done < calls) {
        int running = 0;
        curl_multi_perform(multi, &running);
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            if (msg->data.result != CURLE_OK) bench::die("raw multi send failed");
            ++done;
            char *priv = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            const auto i = static_cast<size_t>(reinterpret_cast<intptr_t>(priv));
            CURL *easy = msg->easy_handle;
            curl_multi_remove_handle(multi, easy);
            if (issued < calls) {
                ++issued;
                raw.prepare(easy, bodies[i], sinks[i]);
                curl_multi_add_handle(multi, easy);
            }
        }
        if (done < calls) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    const int64_t end = bench::now_ns();
    for (CURL *e : easies) curl_easy_cleanup(e);
    curl_multi_cleanup(multi);
    return calls / (static_cast<double>(end - start) / 1e9);
}

double ec_in_flight(ec_cloud *cloud, int calls) {
    int issued = 0, done = 0;
    uint64_t id = 0;
    const int64_t start = bench::now_ns();
    for (; issued < kInFlight && issued < calls; ++issued)
        bench::check(ec_cloud_send(cloud, "hello", nullptr, nullptr, &id), "send");
    auto take = [&](ec_event *ev) {
        if (ev->type == EC_EVENT_REQUEST_COMPLETED) {
            if (ev->status != EC_OK) bench::die(std::string("async send: ") + ev->message);
            ++done;
            if (issued < calls) {
                ++issued;
                bench::check(ec_cloud_send(cloud, "hello", nullptr, nullptr, &id), "send");
            }
        }
        ec_event_free(ev);
    };
    while (done < calls) {
        // The completions queued so far in one batch; a blocking wait only when there are none.
        ec_event *batch[kInFlight];
        size_t n = 0;
        if (!g_single && ec_cloud_next_events(cloud, batch, kInFlight, &n) == EC_OK) {
            for (size_t i = 0; i < n; ++i) take(batch[i]);
            continue;
        }
        ec_event *ev = nullptr;
        bench::check(ec_cloud_wait_event(cloud, 30'000, &ev), "wait_event");
        take(ev);
    }
    return calls / (static_cast<double>(bench::now_ns() - start) / 1e9);
}

}  // namespace

int main(int argc, char **argv) {
    int rounds = 15, calls = 500, inflight_calls = 3000;
    int profile = 0, profile_raw = 0, profile_inflight = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--profile")) profile = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--profile-raw")) profile_raw = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--profile-inflight")) profile_inflight = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--single")) g_single = std::atoi(argv[i + 1]) != 0;
        if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--calls")) calls = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--inflight-calls")) inflight_calls = std::atoi(argv[i + 1]);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    bench::Emulator emulator(EC_EMULATOR_PATH,
                             {"--provision-ms", "30", "--job-poll-interval-ms", "10"});
    ec_cloud *cloud = bench::make_cloud(emulator);
    const std::string agent = bench::connect_agent(cloud);
    RawClient raw(emulator, agent);
    if (profile > 0 || profile_raw > 0) {
        // Only sequential calls of one side, for strace -c / perf / callgrind: no table.
        const int n = profile > 0 ? profile : profile_raw;
        const double user = cpu_us(true, false), system = cpu_us(false, true);
        const double wall = profile > 0 ? ec_sequential(cloud, n) : raw_sequential(raw, n);
        std::fprintf(stderr, "profile (%s): %.1f us per call (cpu: user %.1f, system %.1f)\n",
                     profile > 0 ? "elizacloud" : "raw libcurl", wall,
                     (cpu_us(true, false) - user) / n, (cpu_us(false, true) - system) / n);
        ec_cloud_destroy(cloud);
        return 0;
    }

    if (profile_inflight > 0) {
        const double cpu = cpu_us();
        const double rate = ec_in_flight(cloud, profile_inflight);
        std::fprintf(stderr,
                     "profile (elizacloud, 64 in flight): %.0f sends/s (cpu %.1f us/send)\n", rate,
                     (cpu_us() - cpu) / profile_inflight);
        ec_cloud_destroy(cloud);
        return 0;
    }

    // The sequential rounds run with the emulator on this thread's CPU (bench::SharedCpu): the
    // same placement for both sides and every run.
    std::optional<bench::SharedCpu> shared_cpu(std::in_place, emulator.e.pid);
    // Warm-up: connections open, caches and allocators settled on both sides.
    raw_sequential(raw, calls / 10);
    ec_sequential(cloud, calls / 10);
    // Each round alternates the two sides in slices of kSlice calls, in turn first (ABBA): the
    // machine's slow drifts (another process, the host's other guests) then weigh on both sides
    // of a round alike, where one block per side let a burst land on one of them.
    constexpr int kSlice = 25;
    std::vector<double> raw_us, ec_us, seq_ratio;
    for (int r = 0; r < rounds; ++r) {
        double raw_sum = 0, ec_sum = 0, raw_cpu = 0, ec_cpu = 0;
        int done = 0;
        for (int slice = 0; done < calls; ++slice) {
            const int n = std::min(kSlice, calls - done);
            auto run_raw = [&] {
                const double c = cpu_us();
                raw_sum += raw_sequential(raw, n) * n;
                raw_cpu += cpu_us() - c;
            };
            auto run_ec = [&] {
                const double c = cpu_us();
                ec_sum += ec_sequential(cloud, n) * n;
                ec_cpu += cpu_us() - c;
            };
            if (slice % 2 == 0) {
                run_raw();
                run_ec();
            } else {
                run_ec();
                run_raw();
            }
            done += n;
        }
        raw_us.push_back(raw_sum / calls);
        ec_us.push_back(ec_sum / calls);
        seq_ratio.push_back(ec_us.back() / raw_us.back());
        std::fprintf(stderr,
                     "sequential round %d: raw %.1f us (cpu %.1f), elizacloud %.1f us (cpu %.1f)\n",
                     r, raw_us.back(), raw_cpu / calls, ec_us.back(), ec_cpu / calls);
    }
    const bench::Figures seq = bench::figures(seq_ratio);
    bench::print_row("sequential bridge send, us/call (C ABI sync vs curl easy keep-alive)",
                     bench::fmt_range(bench::figures(raw_us), 0),
                     bench::fmt_range(bench::figures(ec_us), 0), bench::fmt_range(seq, 2, "x"),
                     "<= 1.15x", seq.median <= 1.15);

    shared_cpu.reset();  // in flight: the I/O thread, the host thread and the emulator's own
    raw_in_flight(raw, inflight_calls / 10);
    ec_in_flight(cloud, inflight_calls / 10);
    std::vector<double> raw_rate, ec_rate, par_ratio;
    for (int r = 0; r < rounds; ++r) {
        const double c0 = cpu_us();
        raw_rate.push_back(raw_in_flight(raw, inflight_calls));
        const double c1 = cpu_us();
        ec_rate.push_back(ec_in_flight(cloud, inflight_calls));
        const double c2 = cpu_us();
        par_ratio.push_back(ec_rate.back() / raw_rate.back());
        std::fprintf(stderr,
                     "in-flight round %d: raw %.0f/s (cpu %.1f us/send), elizacloud %.0f/s "
                     "(cpu %.1f us/send)\n",
                     r, raw_rate.back(), (c1 - c0) / inflight_calls, ec_rate.back(),
                     (c2 - c1) / inflight_calls);
    }
    const bench::Figures par = bench::figures(par_ratio);
    bench::print_row("64 sends in flight, sends/s (C ABI async vs curl multi)",
                     bench::fmt_range(bench::figures(raw_rate), 0),
                     bench::fmt_range(bench::figures(ec_rate), 0), bench::fmt_range(par, 2, "x"),
                     ">= 0.90x", par.median >= 0.90);

    ec_cloud_disconnect_sync(cloud, 10'000);
    ec_cloud_destroy(cloud);
    curl_global_cleanup();
    return 0;
}
