#include "net/url_policy.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>

#include "util/log.hpp"

namespace elizacloud {
namespace {

using Bytes = std::array<uint8_t, 16>;

// A 16-byte address whose leading hextets are given, the rest zero.
constexpr Bytes v6_prefix(std::initializer_list<uint16_t> hextets) {
    Bytes b{};
    size_t i = 0;
    for (uint16_t h : hextets) {
        b[i++] = static_cast<uint8_t>(h >> 8);
        b[i++] = static_cast<uint8_t>(h & 0xff);
    }
    return b;
}

bool in_prefix(const Bytes &address, const Bytes &prefix, int bits) {
    int whole = bits / 8;
    if (std::memcmp(address.data(), prefix.data(), static_cast<size_t>(whole)) != 0) return false;
    int rest = bits % 8;
    if (rest == 0) return true;
    auto mask = static_cast<uint8_t>(0xff << (8 - rest));
    return (address[whole] & mask) == (prefix[whole] & mask);
}

struct V4Range {
    uint32_t base;
    int bits;
};

constexpr uint32_t v4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

// R166, complete.
constexpr V4Range kBlockedV4[] = {
    {v4(0, 0, 0, 0), 8},      {v4(10, 0, 0, 0), 8},      {v4(172, 16, 0, 0), 12},
    {v4(192, 168, 0, 0), 16}, {v4(100, 64, 0, 0), 10},   {v4(127, 0, 0, 0), 8},
    {v4(169, 254, 0, 0), 16}, {v4(192, 0, 0, 0), 24},    {v4(198, 18, 0, 0), 15},
    {v4(192, 0, 2, 0), 24},   {v4(198, 51, 100, 0), 24}, {v4(203, 0, 113, 0), 24},
    {v4(224, 0, 0, 0), 4},    {v4(240, 0, 0, 0), 4},
};

bool v4_blocked(uint32_t address) {
    for (const V4Range &r : kBlockedV4) {
        uint32_t mask = ~uint32_t{0} << (32 - r.bits);
        if ((address & mask) == (r.base & mask)) return true;
    }
    return false;
}

struct V6Range {
    Bytes prefix;
    int bits;
};

// R167 plus the G2 gaps, as prefixes of the 128-bit address. ::ffff:0:0/96 (IPv4-mapped) and
// 64:ff9b::/96 (NAT64 well-known prefix) are not here: they are unwrapped and judged as IPv4.
const V6Range kBlockedV6[] = {
    {v6_prefix({}), 96},                       // IPv4-compatible, includes :: and ::1
    {v6_prefix({0, 0, 0, 0, 0xffff, 0}), 96},  // IPv4-translated ::ffff:0:0:0/96
    {v6_prefix({0x64, 0xff9b, 1}), 48},        // NAT64 local-use 64:ff9b:1::/48
    {v6_prefix({0x100}), 64},                  // discard 100::/64
    {v6_prefix({0x2001}), 32},                 // Teredo 2001::/32
    {v6_prefix({0x2001, 0x0db8}), 32},         // documentation 2001:db8::/32
    {v6_prefix({0x2002}), 16},                 // 6to4 2002::/16
    {v6_prefix({0xfc00}), 7},                  // unique local fc00::/7
    {v6_prefix({0xfe80}), 10},                 // link-local fe80::/10
    {v6_prefix({0xfec0}), 10},                 // site-local fec0::/10
    {v6_prefix({0xff00}), 8},                  // multicast ff00::/8
};

const Bytes kMappedPrefix = v6_prefix({0, 0, 0, 0, 0, 0xffff});
// NAT64 (RFC 6052) carries an IPv4 address; on IPv6-only networks with DNS64 every public
// IPv4 host appears under it, so the embedded address is judged rather than the whole range.
const Bytes kNat64Prefix = v6_prefix({0x64, 0xff9b});

uint32_t low_v4(const Bytes &b) {
    return (uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) | b[15];
}

// The IPv4 address an IPv6 address stands for, when it is one of the forms judged as IPv4.
std::optional<uint32_t> embedded_v4(const IpAddress &a) {
    if (a.is_v4 || in_prefix(a.bytes, kMappedPrefix, 96)) return low_v4(a.bytes);
    if (in_prefix(a.bytes, kNat64Prefix, 96)) return low_v4(a.bytes);
    return std::nullopt;
}

IpAddress from_v4(uint32_t value) {
    IpAddress a;
    a.bytes = kMappedPrefix;
    a.bytes[12] = static_cast<uint8_t>(value >> 24);
    a.bytes[13] = static_cast<uint8_t>(value >> 16);
    a.bytes[14] = static_cast<uint8_t>(value >> 8);
    a.bytes[15] = static_cast<uint8_t>(value);
    a.is_v4 = true;
    return a;
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char &c : out) c = lower(c);
    return out;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_hex_digit(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> split_labels(std::string_view host) {
    std::vector<std::string_view> labels;
    size_t start = 0;
    while (true) {
        size_t dot = host.find('.', start);
        labels.push_back(host.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return labels;
}

// WHATWG "ends in a number" (last label all digits, or "0x" and hex digits). libcurl reads such
// hosts as IPv4 addresses when it can (127.1, 2130706433 and 0x7f000001 all mean 127.0.0.1);
// when it cannot (1.2.3.4.5, 0x7f.0x) it would hand them to the resolver as names, which no real
// host name is, so they are refused.
bool ends_in_number(const std::vector<std::string_view> &labels) {
    std::string_view last = labels.back();
    if (last.empty()) return false;
    bool all_digits = true;
    for (char c : last) all_digits = all_digits && is_digit(c);
    if (all_digits) return true;
    if (last.size() < 2 || last[0] != '0' || (last[1] != 'x' && last[1] != 'X')) return false;
    for (char c : last.substr(2)) {
        if (!is_hex_digit(c)) return false;
    }
    return true;
}

// Names that only mean something on the local machine or network (RFC 6761, 6762, 8375 and
// common private suffixes). Checked without DNS.
bool is_local_name(std::string_view host) {
    static constexpr std::string_view kLocal[] = {"localhost", "local",     "internal",
                                                  "lan",       "home.arpa", "localdomain"};
    for (std::string_view suffix : kLocal) {
        if (host == suffix) return true;
        if (host.size() > suffix.size() && ends_with(host, suffix) &&
            host[host.size() - suffix.size() - 1] == '.')
            return true;
    }
    return false;
}

bool is_host_char(char c) {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_';
}

// Allow-list entries as hosts are compared: lower case, no brackets, no trailing dot.
std::string normalise_allowed(std::string_view entry) {
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t'))
        entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    if (entry.size() >= 2 && entry.front() == '[' && entry.back() == ']')
        entry = entry.substr(1, entry.size() - 2);
    if (!entry.empty() && entry.back() == '.') entry.remove_suffix(1);
    std::string host = to_lower(entry);
    if (auto ip = IpAddress::parse(host)) host = ip->to_string();
    return host;
}

// The host libcurl will use for `url`: its URL API is the parser CURLOPT_URL runs, so the
// policy judges exactly the name or address the transfer connects to. IPv4 literals come back
// canonical (dotted quad), IPv6 literals in brackets. nullopt when libcurl refuses the URL.
std::optional<std::string> curl_host(const std::string &url) {
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
    if (!handle) throw std::bad_alloc();
    if (curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
        CURLUE_OK)
        return std::nullopt;
    char *host = nullptr;
    if (curl_url_get(handle.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK || !host)
        return std::nullopt;
    std::string out(host);
    curl_free(host);
    return out;
}

std::string_view trim_url(std::string_view text) {
    // WHATWG strips leading and trailing C0 controls and spaces.
    while (!text.empty() && static_cast<unsigned char>(text.front()) <= 0x20) text.remove_prefix(1);
    while (!text.empty() && static_cast<unsigned char>(text.back()) <= 0x20) text.remove_suffix(1);
    return text;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
    std::string copy(text);  // inet_pton needs a terminated string
    IpAddress a;
    in_addr a4{};
    if (inet_pton(AF_INET, copy.c_str(), &a4) == 1) {
        return from_v4(ntohl(a4.s_addr));
    }
    in6_addr a6{};
    if (inet_pton(AF_INET6, copy.c_str(), &a6) == 1) {
        std::memcpy(a.bytes.data(), a6.s6_addr, 16);
        return a;
    }
    return std::nullopt;
}

std::optional<IpAddress> IpAddress::from_sockaddr(const sockaddr *sa, socklen_t len) {
    if (!sa) return std::nullopt;
    if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
        sockaddr_in sin{};
        std::memcpy(&sin, sa, sizeof sin);
        return from_v4(ntohl(sin.sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
        // The scope id (zone) is ignored: the address alone is judged.
        sockaddr_in6 sin6{};
        std::memcpy(&sin6, sa, sizeof sin6);
        IpAddress a;
        std::memcpy(a.bytes.data(), sin6.sin6_addr.s6_addr, 16);
        return a;
    }
    return std::nullopt;
}

std::string IpAddress::to_string() const {
    char buf[INET6_ADDRSTRLEN] = {};
    if (is_v4) {
        in_addr a4{};
        std::memcpy(&a4.s_addr, bytes.data() + 12, 4);
        inet_ntop(AF_INET, &a4, buf, sizeof buf);
    } else {
        in6_addr a6{};
        std::memcpy(a6.s6_addr, bytes.data(), 16);
        inet_ntop(AF_INET6, &a6, buf, sizeof buf);
    }
    return buf;
}

UrlPolicy::UrlPolicy(UrlPolicyOptions options) : options_(std::move(options)) {
    std::vector<std::string> hosts;
    for (const std::string &entry : options_.allowed_hosts) {
        std::string host = normalise_allowed(entry);
        if (!host.empty()) hosts.push_back(std::move(host));
    }
    options_.allowed_hosts = std::move(hosts);
}

bool UrlPolicy::is_blocked_address(const IpAddress &address) {
    if (auto v4 = embedded_v4(address)) return v4_blocked(*v4);
    for (const V6Range &r : kBlockedV6) {
        if (in_prefix(address.bytes, r.prefix, r.bits)) return true;
    }
    return false;
}

bool UrlPolicy::is_loopback(const IpAddress &address) {
    if (address.is_v4 || in_prefix(address.bytes, kMappedPrefix, 96))
        return address.bytes[12] == 127;
    static const Bytes kLoopback6 = v6_prefix({0, 0, 0, 0, 0, 0, 0, 1});
    return address.bytes == kLoopback6;
}

bool UrlPolicy::address_allowed(const IpAddress &address) const {
    if (options_.insecure_local && is_loopback(address)) return true;
    return !is_blocked_address(address);
}

UrlVerdict UrlPolicy::check_base_url(std::string_view raw) const {
    UrlVerdict verdict;
    // Messages show the URL without its userinfo, query or fragment and with keys cut to their
    // prefix: a refused URL may well carry a password or an API key.
    const std::string quoted = "\"" + log::redact_url(raw) + "\"";
    auto fail = [&](Status status, std::string message) {
        // The whole message, host included: a key-shaped label is a key all the same.
        verdict.error = ErrorInfo::make(status, log::redact(message));
        return verdict;
    };
    auto invalid = [&](std::string_view why) {
        std::string message = "Invalid cloud base URL: " + quoted;
        if (!why.empty()) message += " (" + std::string(why) + ")";
        return fail(Status::InvalidArgument, std::move(message));
    };

    std::string_view url = trim_url(raw);

    // Scheme (R162): judged before the rest so "ftp://…" names the scheme, as the reference does.
    size_t colon = url.find(':');
    if (colon == std::string_view::npos || colon == 0 || !is_alpha(url[0])) return invalid("");
    for (char c : url.substr(0, colon)) {
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return invalid("");
    }
    ParsedUrl parsed;
    parsed.scheme = to_lower(url.substr(0, colon));
    auto scheme_refused = [&] {
        return fail(Status::UrlBlocked,
                    "Cloud base URL must use HTTPS, got \"" + parsed.scheme + ":\" in " + quoted);
    };
    if (parsed.scheme != "https" && parsed.scheme != "http") return scheme_refused();

    // Syntax. Stricter than WHATWG on purpose: anything a browser would silently rewrite
    // (backslashes, missing slashes, spaces, percent-encoded or non-ASCII hosts) is refused.
    std::string_view rest = url.substr(colon + 1);
    for (char c : rest) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) return invalid("whitespace, control or non-ASCII character");
        if (c == '\\') return invalid("backslash");
    }
    if (rest.substr(0, 2) != "//") return invalid("expected \"//\" after the scheme");
    rest.remove_prefix(2);
    size_t authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view tail =
        authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

    bool has_userinfo = false;
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
        has_userinfo = true;
        authority = authority.substr(at + 1);
    }

    std::string_view host_text;
    std::string_view port_text;
    bool bracketed = false;
    if (!authority.empty() && authority.front() == '[') {
        size_t close = authority.find(']');
        if (close == std::string_view::npos) return invalid("unterminated IPv6 address");
        bracketed = true;
        host_text = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return invalid("");
            port_text = after.substr(1);
        }
    } else {
        size_t port_colon = authority.find(':');
        host_text = authority.substr(0, port_colon);
        if (port_colon != std::string_view::npos) port_text = authority.substr(port_colon + 1);
    }
    if (host_text.empty()) return invalid("");

    parsed.port = parsed.scheme == "https" ? 443 : 80;
    if (!port_text.empty()) {
        if (port_text.size() > 5) return invalid("bad port");
        int port = 0;
        for (char c : port_text) {
            if (!is_digit(c)) return invalid("bad port");
            port = port * 10 + (c - '0');
        }
        if (port == 0 || port > 65535) return invalid("bad port");  // 0 is no port to connect to
        parsed.port = port;
    }

    size_t query = tail.find_first_of("?#");
    parsed.path = std::string(tail.substr(0, query));
    bool has_query = tail.find('?') != std::string_view::npos;
    bool has_fragment = tail.find('#') != std::string_view::npos;

    if (bracketed && host_text.find('%') != std::string_view::npos)
        return invalid("zone identifiers are not allowed");
    if (!bracketed) {
        for (char c : host_text) {
            if (!is_host_char(c)) return invalid("character not allowed in a host name");
        }
    }
    // From here on the host is the one libcurl will use, not our own reading of the text.
    auto curl_view = curl_host(std::string(url));
    if (!curl_view || curl_view->empty()) return invalid("");
    std::string name = to_lower(*curl_view);

    std::optional<IpAddress> ip;
    if (bracketed) {
        if (name.size() < 2 || name.front() != '[' || name.back() != ']')
            return invalid("bad IPv6 address");
        ip = IpAddress::parse(std::string_view(name).substr(1, name.size() - 2));
        if (!ip || ip->is_v4) return invalid("bad IPv6 address");
        parsed.host = ip->to_string();
    } else {
        if (name.back() == '.') name.pop_back();  // "localhost." is localhost (G3)
        std::vector<std::string_view> labels = split_labels(name);
        if (name.empty() || name.size() > 253) return invalid("bad host name");
        for (std::string_view label : labels) {
            if (label.empty() || label.size() > 63) return invalid("bad host name");
        }
        ip = IpAddress::parse(name);
        if (!ip && ends_in_number(labels)) {
            // libcurl keeps a trailing dot, and with it a numeric host, as a name; the resolver
            // may still read it as an address, so judge the address libcurl gives without it.
            std::string canonical;
            if (curl_view->back() == '.') canonical = curl_host("http://" + name).value_or("");
            ip = IpAddress::parse(canonical);
            if (!ip) return invalid("bad IPv4 address");
        }
        if (ip) name = ip->to_string();
        parsed.host = std::move(name);
    }
    verdict.url = parsed;

    if (parsed.scheme == "http" && !options_.insecure_local) return scheme_refused();
    if (has_userinfo)
        return fail(Status::UrlBlocked,
                    "Cloud base URL " + quoted + " must not contain credentials (user@host).");
    if (has_query)
        return fail(Status::InvalidArgument,
                    "Cloud base URL " + quoted + " must not contain a query string.");
    if (has_fragment)
        return fail(Status::InvalidArgument,
                    "Cloud base URL " + quoted + " must not contain a fragment.");

    const std::string &host = parsed.host;
    if (ip) {
        if (options_.insecure_local && is_loopback(*ip)) return verdict;
        if (is_blocked_address(*ip))
            return fail(Status::UrlBlocked,
                        "Cloud base URL " + quoted + " points to a blocked address.");
    } else {
        if (options_.insecure_local && host == "localhost") return verdict;
        if (is_local_name(host))
            return fail(Status::UrlBlocked,
                        "Cloud base URL " + quoted + " points to a blocked local hostname.");
    }
    for (const std::string &allowed : options_.allowed_hosts) {
        if (host == allowed) return verdict;
        if (!ip && host.size() > allowed.size() && ends_with(host, allowed) &&
            host[host.size() - allowed.size() - 1] == '.')
            return verdict;
    }
    std::string list;
    for (const std::string &allowed : options_.allowed_hosts) {
        if (!list.empty()) list += ", ";
        list += allowed;
    }
    return fail(Status::UrlBlocked, "Cloud base URL " + quoted + " points to host \"" + host +
                                        "\", which is not an allowed Eliza Cloud host (allowed: " +
                                        list + " and their subdomains).");
}

namespace {

bool env_insecure_local() {
    const char *value = std::getenv("ELIZACLOUD_INSECURE_LOCAL");
    return value != nullptr && std::string_view(value) == "1";
}

void warn_insecure_local_once() {
    static std::once_flag warned;
    std::call_once(warned, [] {
        log::warn(
            "insecure_local (ELIZACLOUD_INSECURE_LOCAL=1 or the insecure_local option): plain "
            "http:// and loopback addresses are allowed. Use this for local development only.");
    });
}

}  // namespace

bool insecure_local_from_env() {
    bool on = env_insecure_local();
    if (on) warn_insecure_local_once();
    return on;
}

bool resolve_insecure_local(std::optional<bool> requested) {
    bool on = requested.has_value() ? *requested : env_insecure_local();
    if (on) warn_insecure_local_once();
    return on;
}

}  // namespace elizacloud
