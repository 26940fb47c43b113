// libFuzzer target for SseParser: the same bytes delivered in one piece and in random pieces
// (empty pieces included) must give the same events, the same overflow verdict, the same retry
// and last id. Any difference, crash or sanitizer report is a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/sse_parser.hpp"

namespace {

struct Outcome {
    std::vector<std::string> events;  // type, data and id of each event, NUL-separated
    bool ok = true;
    int64_t retry = -1;
    std::string last_id;
    bool operator==(const Outcome &) const = default;
};

Outcome run(std::string_view stream, size_t max_line, const std::vector<size_t> &cuts) {
    elizacloud::SseParser parser(max_line);
    Outcome out;
    auto sink = [&](elizacloud::SseEvent &&e) {
        out.events.push_back(e.type + '\0' + e.data + '\0' + e.id);
    };
    size_t pos = 0;
    for (size_t cut : cuts) {
        const size_t len = std::min(cut, stream.size() - pos);
        out.ok = parser.feed(stream.substr(pos, len), sink) && out.ok;
        pos += len;
    }
    out.ok = parser.feed(stream.substr(pos), sink) && out.ok;
    parser.finish(sink);
    out.retry = parser.retry_ms();
    out.last_id = parser.last_event_id();
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    // Byte 0 picks the line limit (tiny limits exercise overflow), byte 1 seeds the splits.
    const size_t max_line = (data[0] & 0x80) ? 1024 * 1024 : (data[0] & 0x3F);
    uint32_t state = data[1] * 2654435761u + static_cast<uint32_t>(size);
    const std::string_view stream(reinterpret_cast<const char *>(data + 2), size - 2);

    std::vector<size_t> cuts;
    for (size_t covered = 0; covered < stream.size();) {
        state = state * 1664525u + 1013904223u;  // LCG: deterministic for a given input
        const size_t piece = (state >> 24) % 9;  // 0..8 bytes, 0 = an empty read
        cuts.push_back(piece);
        covered += piece;
    }

    const Outcome whole = run(stream, max_line, {});
    const Outcome split = run(stream, max_line, cuts);
    if (!(whole == split)) __builtin_trap();
    return 0;
}
