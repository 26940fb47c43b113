// libFuzzer target for the cloud error model: any status, headers and body through
// error_from_response (every error family), parse_cloud_envelope, jsonrpc_error and
// parse_retry_after. Invariants: nothing crashes; messages stay bounded; a 2xx never maps to an
// error unless the envelope says so; a non-2xx never maps to Ok; retry-after is -1 or ≥ 0.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/cloud_errors.hpp"
#include "fuzz_input.hpp"
#include "util/json.hpp"

using namespace elizacloud;

namespace {

// Every message is cut to kMaxErrorMessageBytes plus a short prefix ("HTTP 503: …") at most.
constexpr size_t kMessageBound = kMaxErrorMessageBytes + 128;

void check(const ErrorInfo &e) {
    if (e.message.size() > kMessageBound) __builtin_trap();
    if (e.retry_after_ms < -1) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz::Input in(data, size);
    const int status = 100 + (in.byte() << 8 | in.byte()) % 500;  // 100..599
    const auto family = static_cast<ErrorFamily>(in.byte() % 5);

    HttpResponse response;
    response.http_status = status;
    const std::string_view retry_after = in.piece();
    if (!retry_after.empty())
        response.headers.emplace_back("Retry-After", std::string(retry_after));
    const std::string_view retry_after_ms = in.piece();
    if (!retry_after_ms.empty())
        response.headers.emplace_back("retry-after-ms", std::string(retry_after_ms));
    response.body = std::string(in.rest());

    const ErrorInfo mapped = error_from_response(response, family);
    check(mapped);
    const bool success = status >= 200 && status < 300;
    if (!success && mapped.ok()) __builtin_trap();
    if (success && !mapped.ok()) __builtin_trap();

    json::Document doc;
    const ErrorInfo envelope = parse_cloud_envelope(response, doc, family);
    check(envelope);
    if (!success && envelope.ok()) __builtin_trap();
    if (envelope.ok() && !doc.IsObject()) __builtin_trap();

    json::Document reply;
    if (json::parse(response.body, reply)) {
        if (const auto rpc = jsonrpc_error(reply)) check(*rpc);
    }

    const int64_t ms = parse_retry_after(retry_after, 1'700'000'000);
    if (ms < -1) __builtin_trap();

    const std::string cut = bounded_message(response.body, 64);
    if (cut.size() > 64 + 3) __builtin_trap();  // + the "…" mark
    return 0;
}
