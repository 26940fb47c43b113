// rest_bench: the local REST API (ec_rest_server_start) under 64 keep-alive clients asking
// GET /api/cloud/status, for a fixed time per round. The clients are one curl multi handle with
// 64 easy handles (one connection each), re-issued as soon as they complete. Figures: requests
// per second and the 99th percentile latency of the round; no baseline (the target is absolute).
//
// Usage: rest_bench [--rounds N] [--seconds S] [--key 0|1]
#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_util.hpp"

namespace {

constexpr int kClients = 64;

size_t discard(char *, size_t size, size_t count, void *) {
    return size * count;
}

struct Round {
    double rate = 0;
    double p99_ms = 0;
};

Round run_round(const std::string &url, double seconds) {
    CURLM *multi = curl_multi_init();
    std::vector<CURL *> easies(kClients);
    std::vector<int64_t> started(kClients);
    std::vector<double> latencies;
    latencies.reserve(200'000);
    for (int i = 0; i < kClients; ++i) {
        easies[i] = curl_easy_init();
        curl_easy_setopt(easies[i], CURLOPT_URL, url.c_str());
        curl_easy_setopt(easies[i], CURLOPT_WRITEFUNCTION, &discard);
        curl_easy_setopt(easies[i], CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easies[i], CURLOPT_PRIVATE, reinterpret_cast<char *>(i));
    }
    const int64_t start = bench::now_ns();
    const int64_t end = start + static_cast<int64_t>(seconds * 1e9);
    for (int i = 0; i < kClients; ++i) {
        started[i] = bench::now_ns();
        curl_multi_add_handle(multi, easies[i]);
    }
    size_t done = 0;
    int active = kClients;
    while (active > 0) {
        int running = 0;
        curl_multi_perform(multi, &running);
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            const int64_t now = bench::now_ns();
            long code = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
            if (msg->data.result != CURLE_OK || code != 200) bench::die("REST request failed");
            char *priv = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            const auto i = static_cast<size_t>(reinterpret_cast<intptr_t>(priv));
            latencies.push_back(static_cast<double>(now - started[i]) / 1e6);
            ++done;
            CURL *easy = msg->easy_handle;
            curl_multi_remove_handle(multi, easy);
            if (now < end) {
                started[i] = bench::now_ns();
                curl_multi_add_handle(multi, easy);
            } else {
                --active;
            }
        }
        if (active > 0) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    const double elapsed = static_cast<double>(bench::now_ns() - start) / 1e9;
    for (CURL *e : easies) curl_easy_cleanup(e);
    curl_multi_cleanup(multi);
    std::sort(latencies.begin(), latencies.end());
    Round r;
    r.rate = static_cast<double>(done) / elapsed;
    r.p99_ms = latencies.empty() ? 0 : latencies[latencies.size() * 99 / 100];
    return r;
}

}  // namespace

int main(int argc, char **argv) {
    int rounds = 5;
    double seconds = 2;
    bool key = true;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
        if (!std::strcmp(argv[i], "--key")) key = std::atoi(argv[i + 1]) != 0;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    bench::Emulator emulator(EC_EMULATOR_PATH, {});
    // With a key (the default) every status asks the cloud whether it still accepts it
    // (GET /api/v1/user); --key 0 measures the server alone.
    ec_cloud *cloud = bench::make_cloud(emulator, 0, key);
    ec_rest_server_options so;
    bench::check(ec_rest_server_options_init(&so, sizeof so), "options_init");
    so.port = EC_REST_PORT_EPHEMERAL;
    so.token = "";
    ec_rest_server *server = nullptr;
    bench::check(ec_rest_server_start(cloud, &so, &server), "ec_rest_server_start");
    const std::string url =
        "http://127.0.0.1:" + std::to_string(ec_rest_server_port(server)) + "/api/cloud/status";

    run_round(url, seconds / 4);  // warm-up
    std::vector<double> rates, p99s;
    for (int r = 0; r < rounds; ++r) {
        Round round = run_round(url, seconds);
        rates.push_back(round.rate);
        p99s.push_back(round.p99_ms);
        std::fprintf(stderr, "rest round %d: %.0f req/s, p99 %.1f ms\n", r, round.rate,
                     round.p99_ms);
    }
    const bench::Figures rate = bench::figures(rates), p99 = bench::figures(p99s);
    // With a key each status waits for the cloud's answer (shared by concurrent calls); without
    // one it is the server and dispatcher alone.
    const std::string what =
        key ? "GET /api/cloud/status with a key" : "GET /api/cloud/status, no key";
    bench::print_row("local REST API, 64 keep-alive clients, " + what + ", req/s", "",
                     bench::fmt_range(rate, 0), "", ">= 10000", rate.median >= 10'000);
    bench::print_row("local REST API, 64 keep-alive clients, " + what + ", p99 ms", "",
                     bench::fmt_range(p99, 1), "", "<= 10", p99.median <= 10);
    ec_rest_server_stop(server);
    ec_cloud_destroy(cloud);
    curl_global_cleanup();
    return 0;
}
