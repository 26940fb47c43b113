// sse_bench: stream chunk events through the C ABI pull queue against raw libcurl reading the
// same bytes. The emulator's reply to a long message, cut into one-character chunks
// (--stream-chunk-chars 1), is recorded once; a ReplayProxy then serves that recording for every
// stream request (and forwards everything else to the emulator, so the cloud handle connects as
// usual). Per round: raw curl reads the stream and counts its events (a scan for the blank lines
// that end them, the least a consumer can do); elizacloud runs ec_cloud_stream and pulls every
// event until STREAM_END (ec_cloud_next_events batches, ec_cloud_wait_event when the queue is
// empty; --single 1: ec_cloud_wait_event for every event). Figure = chunk events per second;
// ratio = elizacloud / curl.
//
// Usage: sse_bench [--rounds N] [--chars N] [--single 0|1]
//        sse_bench --profile N   (N library streams only, for perf or strace)
//        sse_bench --serve 1 [--chars N]   (records, then prints {"url","apiKey","chunks"} and
//            serves the replay until stdin closes: the source of python_stream_bench.py)
#include <curl/curl.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "replay_proxy.hpp"

namespace {

size_t collect(char *data, size_t size, size_t count, void *user) {
    static_cast<std::string *>(user)->append(data, size * count);
    return size * count;
}

// Counts events ("\n\n") across write callbacks.
struct Counter {
    size_t events = 0;
    bool last_newline = false;
};

size_t count_events(char *data, size_t size, size_t count, void *user) {
    auto *c = static_cast<Counter *>(user);
    const size_t len = size * count;
    const char *p = data, *end = data + len;
    if (len && c->last_newline && *p == '\n') ++c->events;
    while (p < end) {
        const auto *nl =
            static_cast<const char *>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        if (!nl) break;
        if (nl + 1 < end && nl[1] == '\n') {
            ++c->events;
            p = nl + 2;
        } else {
            p = nl + 1;
        }
    }
    c->last_newline = len && data[len - 1] == '\n';
    return len;
}

std::string stream_body(const std::string &text) {
    return R"({"jsonrpc":"2.0","id":"00000000-0000-4000-8000-000000000001","method":"message.send",)"
           R"("params":{"text":")" +
           text + R"(","roomId":"web-chat"}})";
}

struct Raw {
    std::string url;
    curl_slist *headers = nullptr;
    std::string body;
    CURL *easy = curl_easy_init();
    ~Raw() {
        curl_slist_free_all(headers);
        curl_easy_cleanup(easy);
    }
    void setup(const std::string &origin, const std::string &key, const std::string &agent,
               const std::string &text) {
        url = origin + "/api/v1/milady/agents/" + agent + "/stream";
        headers = curl_slist_append(headers, ("X-API-Key: " + key).c_str());
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Expect:");
        body = stream_body(text);
    }
    void post(curl_write_callback write, void *sink) {
        curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, sink);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        if (curl_easy_perform(easy) != CURLE_OK) bench::die("raw stream failed");
    }
};

// Chunk events per second.
double raw_stream(Raw &raw, size_t chunks, size_t expected_events) {
    Counter c;
    const int64_t start = bench::now_ns();
    raw.post(&count_events, &c);
    const int64_t end = bench::now_ns();
    if (c.events != expected_events) bench::die("raw stream: wrong event count");
    return static_cast<double>(chunks) / (static_cast<double>(end - start) / 1e9);
}

bool g_single = false;
size_t g_waits = 0;  // blocking waits: how often the consumer found the queue empty  // --single:
                     // one ec_cloud_wait_event per event instead of batches

// Counts one event; true at the stream's end.
bool take(ec_event *ev, size_t &got) {
    const int type = ev->type;
    if (type == EC_EVENT_STREAM_CHUNK) ++got;
    if (type == EC_EVENT_STREAM_END && ev->status != EC_OK)
        bench::die(std::string("stream end: ") + ev->message);
    ec_event_free(ev);
    return type == EC_EVENT_STREAM_END;
}

double ec_stream(ec_cloud *cloud, const std::string &text, size_t chunks) {
    uint64_t id = 0;
    size_t got = 0;
    const int64_t start = bench::now_ns();
    bench::check(ec_cloud_stream(cloud, text.c_str(), nullptr, nullptr, &id), "stream");
    for (bool end = false; !end;) {
        // Batches while events are queued (ec_cloud_next_events), a blocking wait when none.
        ec_event *batch[256];
        size_t n = 0;
        if (!g_single && ec_cloud_next_events(cloud, batch, 256, &n) == EC_OK) {
            for (size_t i = 0; i < n; ++i) end = take(batch[i], got) || end;
            continue;
        }
        ec_event *ev = nullptr;
        ++g_waits;
        bench::check(ec_cloud_wait_event(cloud, 30'000, &ev), "wait_event");
        end = take(ev, got);
    }
    const int64_t end = bench::now_ns();
    if (got != chunks) bench::die("elizacloud stream: wrong chunk count");
    return static_cast<double>(chunks) / (static_cast<double>(end - start) / 1e9);
}

}  // namespace

int main(int argc, char **argv) {
    int rounds = 9, profile = 0, serve = 0;
    size_t chars = 100'000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--chars")) chars = std::strtoul(argv[i + 1], nullptr, 10);
        if (!std::strcmp(argv[i], "--profile")) profile = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--single")) g_single = std::atoi(argv[i + 1]) != 0;
        if (!std::strcmp(argv[i], "--serve")) serve = std::atoi(argv[i + 1]);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    bench::Emulator emulator(EC_EMULATOR_PATH, {"--provision-ms", "30", "--job-poll-interval-ms",
                                                "10", "--stream-chunk-chars", "1"});
    const std::string text(chars, 'a');

    // Record the emulator's stream once, through an agent of its own.
    std::string recording;
    {
        ec_cloud *direct = bench::make_cloud(emulator);
        const std::string agent = bench::connect_agent(direct);
        Raw raw;
        raw.setup(emulator.e.url, emulator.key, agent, text);
        raw.post(&collect, &recording);
        ec_cloud_destroy(direct);
    }
    size_t chunks = 0, events = 0;
    for (size_t at = 0; (at = recording.find("event: chunk\n", at)) != std::string::npos; ++at)
        ++chunks;
    for (size_t at = 0; (at = recording.find("\n\n", at)) != std::string::npos; at += 2) ++events;
    if (chunks != chars + 6) bench::die("unexpected recording: " + std::to_string(chunks));

    bench::ReplayProxy proxy(emulator.e.url, recording);
    if (serve) {
        std::printf("{\"url\":\"%s\",\"apiKey\":\"%s\",\"chunks\":%zu}\n", proxy.url().c_str(),
                    emulator.key.c_str(), chunks);
        std::fflush(stdout);
        char sink[256];
        while (std::fread(sink, 1, sizeof sink, stdin) > 0) {
        }
        return 0;
    }
    ec_cloud_options o;
    bench::check(ec_cloud_options_init(&o, sizeof o), "options_init");
    o.no_config_file = 1;
    o.base_url = proxy.url().c_str();
    o.api_key = emulator.key.c_str();
    o.insecure_local = 1;
    o.job_poll_interval_ms = 10;
    ec_cloud *cloud = nullptr;
    bench::check(ec_cloud_create(&o, &cloud), "ec_cloud_create");
    const std::string agent = bench::connect_agent(cloud);
    Raw raw;
    raw.setup(proxy.url(), emulator.key, agent, text);

    if (profile > 0) {
        // Only the library's streams, for perf or strace: no baseline, no table.
        for (int i = 0; i < profile; ++i) {
            g_waits = 0;
            rusage before{}, after{};
            getrusage(RUSAGE_SELF, &before);
            const double rate = ec_stream(cloud, text, chunks);
            getrusage(RUSAGE_SELF, &after);
            auto us = [](const rusage &u) {
                return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
                       static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
            };
            std::fprintf(stderr, "cpu %.0f ns per event; ",
                         (us(after) - us(before)) * 1e3 / static_cast<double>(chunks));
            char *stats = nullptr;
            ec_cloud_event_stats(cloud, &stats);
            std::fprintf(stderr, "profile: %.3f M/s, %zu waits, %s\n", rate / 1e6, g_waits, stats);
            ec_free(stats);
        }
        ec_cloud_destroy(cloud);
        return 0;
    }
    raw_stream(raw, chunks, events);
    ec_stream(cloud, text, chunks);
    std::vector<double> raw_rate, ec_rate, ratio;
    for (int r = 0; r < rounds; ++r) {
        raw_rate.push_back(raw_stream(raw, chunks, events));
        ec_rate.push_back(ec_stream(cloud, text, chunks));
        ratio.push_back(ec_rate.back() / raw_rate.back());
        std::fprintf(stderr, "sse round %d: raw %.0f/s, elizacloud %.0f/s\n", r, raw_rate.back(),
                     ec_rate.back());
    }
    for (double &r : raw_rate) r /= 1e6;
    for (double &r : ec_rate) r /= 1e6;
    const bench::Figures ec = bench::figures(ec_rate);
    bench::print_row("SSE chunk events, M/s, tiny chunks (C ABI pull queue vs curl)",
                     bench::fmt_range(bench::figures(raw_rate), 2), bench::fmt_range(ec, 3),
                     bench::fmt_range(bench::figures(ratio), 3, "x"), ">= 2.2 M/s",
                     ec.median >= 2.2);
    ec_cloud_disconnect_sync(cloud, 10'000);
    ec_cloud_destroy(cloud);
    curl_global_cleanup();
    return 0;
}
