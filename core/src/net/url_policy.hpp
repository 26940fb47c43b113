// The URL security policy (SPEC §4): which base URLs are acceptable and which addresses the
// engine may connect to. Checked once when a base URL is configured and again, for every new
// connection, on the address libcurl actually connects to (DNS rebinding cannot slip through).
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace elizacloud {

struct UrlPolicyOptions {
    // Hosts (and their subdomains) a base URL may name. Extended, never replaced, by config.
    // The seeds' cloud, and the live cloud's split origins (E§0).
    std::vector<std::string> allowed_hosts{"elizacloud.ai",     "www.elizacloud.ai",
                                           "api.elizacloud.ai", "cloud.milady.ai",
                                           "eliza.app",         "api.eliza.app"};
    // Development opt-in (ELIZACLOUD_INSECURE_LOCAL=1 or the option flag): allow http:// and
    // loopback hosts/addresses only. Never the default.
    bool insecure_local = false;
};

// An IPv4 or IPv6 address as 16 bytes (IPv4 stored as ::ffff:a.b.c.d).
struct IpAddress {
    std::array<uint8_t, 16> bytes{};
    bool is_v4 = false;
    static std::optional<IpAddress> parse(std::string_view text);  // strict literal, no brackets
    static std::optional<IpAddress> from_sockaddr(const sockaddr *sa, socklen_t len);
    std::string to_string() const;
};

struct ParsedUrl {
    std::string scheme;  // lower case
    std::string host;    // lower case, brackets removed, one trailing dot removed
    int port = 0;        // explicit port or the scheme default
    std::string path;    // may be empty
};

struct UrlVerdict {
    ErrorInfo error;  // Ok, or UrlBlocked / InvalidArgument with the reason
    ParsedUrl url;    // filled when parsing succeeded
    bool ok() const { return error.ok(); }
};

class UrlPolicy {
public:
    explicit UrlPolicy(UrlPolicyOptions options = {});

    // Checks a cloud base URL: https only (http only with insecure_local), no userinfo, query or
    // fragment, host on the allow-list (or loopback with insecure_local), not a local name, not a
    // blocked literal address (numeric IPv4 forms such as 0x7f000001, 2130706433 and 127.1
    // included). The host judged is the one libcurl's URL parser gives for the same text, so
    // the policy and the transfer never disagree on what it means. Does no DNS: the connect-time
    // check covers resolved addresses.
    UrlVerdict check_base_url(std::string_view url) const;

    // Connect-time check of one address libcurl is about to connect to.
    bool address_allowed(const IpAddress &address) const;

    // True for every range of R166–R169 plus the G2 gaps (IPv4-compatible, IPv4-translated,
    // NAT64 local-use, 6to4, Teredo, documentation, site-local, discard, multicast), judged on
    // 128-bit ranges. IPv4-mapped and NAT64 well-known-prefix (64:ff9b::/96) addresses are
    // judged by the IPv4 address they carry, so IPv6-only networks with DNS64 still work.
    static bool is_blocked_address(const IpAddress &address);
    static bool is_loopback(const IpAddress &address);

    const UrlPolicyOptions &options() const { return options_; }

private:
    UrlPolicyOptions options_;
};

// ELIZACLOUD_INSECURE_LOCAL=1 in the environment. Logs a warning once per process when true.
bool insecure_local_from_env();

// The development opt-in as finally decided: an explicit request (true or false) wins, otherwise
// ELIZACLOUD_INSECURE_LOCAL=1. Logs the same once-per-process warning whenever the result is true,
// however the mode was asked for.
bool resolve_insecure_local(std::optional<bool> requested);

}  // namespace elizacloud
