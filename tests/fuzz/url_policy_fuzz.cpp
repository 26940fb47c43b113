// libFuzzer target for the URL policy: base URLs under both modes, address literals, and the
// connect-time verdict. Invariants: nothing crashes; an accepted URL without insecure_local is
// https, has a host, and that host is no blocked address literal; a parsed address prints and
// parses back to the same address and the same verdict; a refusal never shows more of a key than
// its 12-character prefix, wherever the key stood in the URL.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_input.hpp"
#include "net/url_policy.hpp"

using namespace elizacloud;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz::Input in(data, size);
    const uint8_t mode = in.byte();
    const std::string extra_host(in.piece());
    const std::string_view text = in.rest();

    UrlPolicyOptions options;
    options.insecure_local = (mode & 1) != 0;
    if (mode & 2) options.allowed_hosts.push_back(extra_host);
    const UrlPolicy policy(options);

    const UrlVerdict verdict = policy.check_base_url(text);
    if (verdict.ok()) {
        if (verdict.url.host.empty()) __builtin_trap();
        if (!options.insecure_local) {
            if (verdict.url.scheme != "https") __builtin_trap();
            if (const auto ip = IpAddress::parse(verdict.url.host);
                ip && UrlPolicy::is_blocked_address(*ip))
                __builtin_trap();
        }
        if (verdict.url.port <= 0 || verdict.url.port > 65535) __builtin_trap();
    } else if (verdict.error.message.empty()) {
        __builtin_trap();  // a refusal always says why
    } else if (fuzz::shows_a_key(verdict.error.message)) {
        __builtin_trap();
    }

    if (const auto ip = IpAddress::parse(text)) {
        const auto again = IpAddress::parse(ip->to_string());
        if (!again || again->bytes != ip->bytes) __builtin_trap();
        if (policy.address_allowed(*ip) != policy.address_allowed(*again)) __builtin_trap();
    }
    return 0;
}
