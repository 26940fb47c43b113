#include "url_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "log.hpp"

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

// WHATWG "IPv4 number parser": 0x… hexadecimal, 0… octal, else decimal. Values above 2^32 are
// reported as 2^32 so the caller's range check fails them.
std::optional<uint64_t> parse_ipv4_number(std::string_view part) {
    if (part.empty()) return std::nullopt;
    int radix = 10;
    if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
        radix = 16;
        part.remove_prefix(2);
    } else if (part.size() >= 2 && part[0] == '0') {
        radix = 8;
        part.remove_prefix(1);
    }
    uint64_t value = 0;
    for (char c : part) {
        int digit;
        if (is_digit(c)) {
            digit = c - '0';
        } else if (radix == 16 && is_hex_digit(c)) {
            digit = lower(c) - 'a' + 10;
        } else {
            return std::nullopt;
        }
        if (digit >= radix) return std::nullopt;
        value = value * static_cast<uint64_t>(radix) + static_cast<uint64_t>(digit);
        if (value > 0xffffffffULL) value = 0x100000000ULL;  // saturate: already out of range
    }
    return value;
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

// WHATWG "ends in a number": hosts whose last label is numeric are parsed as IPv4 addresses,
// which is how 127.1, 2130706433 and 0x7f000001 all mean 127.0.0.1.
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

// WHATWG "IPv4 parser" over labels already split on dots (trailing empty label removed).
std::optional<uint32_t> parse_whatwg_ipv4(const std::vector<std::string_view> &labels) {
    if (labels.size() > 4) return std::nullopt;
    std::vector<uint64_t> numbers;
    for (std::string_view label : labels) {
        auto n = parse_ipv4_number(label);
        if (!n) return std::nullopt;
        numbers.push_back(*n);
    }
    for (size_t i = 0; i + 1 < numbers.size(); ++i) {
        if (numbers[i] > 255) return std::nullopt;
    }
    uint64_t limit = uint64_t{1} << (8 * (5 - numbers.size()));
    if (numbers.back() >= limit) return std::nullopt;
    uint64_t value = numbers.back();
    for (size_t i = 0; i + 1 < numbers.size(); ++i) value += numbers[i] << (8 * (3 - i));
    return static_cast<uint32_t>(value);
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
    const std::string quoted = "\"" + std::string(raw) + "\"";
    auto fail = [&](Status status, std::string message) {
        verdict.error = ErrorInfo::make(status, std::move(message));
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
        if (port > 65535) return invalid("bad port");
        parsed.port = port;
    }

    size_t query = tail.find_first_of("?#");
    parsed.path = std::string(tail.substr(0, query));
    bool has_query = tail.find('?') != std::string_view::npos;
    bool has_fragment = tail.find('#') != std::string_view::npos;

    std::optional<IpAddress> ip;
    if (bracketed) {
        if (host_text.find('%') != std::string_view::npos)
            return invalid("zone identifiers are not allowed");
        ip = IpAddress::parse(host_text);
        if (!ip || ip->is_v4) return invalid("bad IPv6 address");
        parsed.host = ip->to_string();
    } else {
        std::string host = to_lower(host_text);
        for (char c : host) {
            if (!is_host_char(c)) return invalid("character not allowed in a host name");
        }
        if (host.back() == '.') host.pop_back();  // "localhost." is localhost (G3)
        std::vector<std::string_view> labels = split_labels(host);
        if (host.empty() || host.size() > 253) return invalid("bad host name");
        for (std::string_view label : labels) {
            if (label.empty() || label.size() > 63) return invalid("bad host name");
        }
        if (ends_in_number(labels)) {
            auto value = parse_whatwg_ipv4(labels);
            if (!value) return invalid("bad IPv4 address");
            ip = from_v4(*value);
            host = ip->to_string();
        }
        parsed.host = std::move(host);
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

bool insecure_local_from_env() {
    const char *value = std::getenv("ELIZACLOUD_INSECURE_LOCAL");
    bool on = value != nullptr && std::string_view(value) == "1";
    if (on) {
        static std::once_flag warned;
        std::call_once(warned, [] {
            log::warn(
                "ELIZACLOUD_INSECURE_LOCAL=1: plain http:// and loopback addresses are allowed. "
                "Use this for local development only.");
        });
    }
    return on;
}

}  // namespace elizacloud
