// libFuzzer target for the local REST API's small parsers: query parameters, the JSON depth
// pre-check, Host/Origin allow-lists and bearer tokens. Invariants: nothing crashes; a body the
// depth check accepts parses without exhausting the stack; a query parameter found by name is
// found again in a query rebuilt with that name first.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "rest/rest_checks.hpp"
#include "util/json.hpp"

using namespace elizacloud;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz::Input in(data, size);
    const std::string name(in.piece());
    const std::string query(in.piece());
    const std::string host(in.piece());
    const std::string text(in.rest());

    if (const auto value = rest::query_param(query, name)) {
        // Only plain names are rebuilt: escapes and separators would change what the name means.
        if (name.empty() ||
            name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string::npos)
            return 0;
        const auto again = rest::query_param(name + "=x&" + query, name);
        if (!again || *again != "x") __builtin_trap();
    }

    const std::vector<std::string> extra{host};
    (void)rest::host_allowed(host, {});
    (void)rest::host_allowed(text, extra);
    (void)rest::origin_allowed(text, extra);
    (void)rest::is_loopback_bind(host);
    if (const auto token = rest::bearer_token(text)) {
        if (!rest::constant_time_equal(*token, *token)) __builtin_trap();
    }

    if (rest::json_depth_within(text, 32)) {
        json::Document doc;
        (void)json::parse(text, doc);
    }
    return 0;
}
