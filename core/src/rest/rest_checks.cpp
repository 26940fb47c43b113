#include "rest/rest_checks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "util/strings.hpp"

namespace elizacloud::rest {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "name", "name:port", "[v6]", "[v6]:port" or a bare IPv6 address → the name, lower-case and
// without brackets; nullopt when the port part is not a number or a bracket is unbalanced.
std::optional<std::string> host_name(std::string_view host) {
    if (host.starts_with('[')) {
        const size_t close = host.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        std::string_view rest = host.substr(close + 1);
        if (!rest.empty() && !(rest.front() == ':' && all_digits(rest.substr(1))))
            return std::nullopt;
        return lower(host.substr(1, close - 1));
    }
    const size_t colon = host.find(':');
    if (colon == std::string_view::npos) return lower(host);
    if (host.find(':', colon + 1) != std::string_view::npos) return lower(host);  // bare IPv6
    if (!all_digits(host.substr(colon + 1))) return std::nullopt;
    return lower(host.substr(0, colon));
}

constexpr std::array<std::string_view, 5> kLoopbackNames = {"localhost", "127.0.0.1", "::1",
                                                            "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"};

bool listed(std::string_view name, const std::vector<std::string> &extra) {
    return std::any_of(extra.begin(), extra.end(), [&](const std::string &allowed) {
        auto normalised = host_name(std::string(trim(allowed)));
        return normalised && *normalised == name;
    });
}

bool is_ipv4_loopback(std::string_view text) {
    // 127.a.b.c with decimal octets only.
    if (!text.starts_with("127.")) return false;
    int dots = 0;
    size_t run = 0;
    for (char c : text.substr(4)) {
        if (c == '.') {
            if (run == 0) return false;
            ++dots;
            run = 0;
        } else if (std::isdigit(static_cast<unsigned char>(c)) && run < 3) {
            ++run;
        } else {
            return false;
        }
    }
    return dots == 2 && run > 0;
}

}  // namespace

bool host_allowed(std::string_view host_header, const std::vector<std::string> &extra) {
    const std::string host(trim(host_header));
    if (host.empty()) return true;
    const auto name = host_name(host);
    if (!name || name->empty()) return false;
    if (std::find(kLoopbackNames.begin(), kLoopbackNames.end(), *name) != kLoopbackNames.end())
        return true;
    return listed(*name, extra);
}

bool origin_allowed(std::string_view origin_header, const std::vector<std::string> &extra) {
    const std::string origin(trim(origin_header));
    if (origin.empty()) return true;
    if (std::any_of(extra.begin(), extra.end(),
                    [&](const std::string &allowed) { return trim(allowed) == origin; }))
        return true;
    std::string_view rest = origin;
    if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
    } else {
        return false;
    }
    if (rest.find_first_of("/?#@") != std::string_view::npos) return false;
    const auto name = host_name(rest);
    return name && (*name == "localhost" || *name == "127.0.0.1" || *name == "::1");
}

bool is_loopback_bind(std::string_view host_text) {
    std::string host = lower(std::string(trim(host_text)));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1") return true;
    if (host.starts_with("::ffff:")) return is_ipv4_loopback(std::string_view(host).substr(7));
    return is_ipv4_loopback(host);
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
    while (!authorization.empty() &&
           (authorization.front() == ' ' || authorization.front() == '\t'))
        authorization.remove_prefix(1);
    constexpr std::string_view kScheme = "bearer";
    if (authorization.size() <= kScheme.size() ||
        lower(authorization.substr(0, kScheme.size())) != kScheme)
        return std::nullopt;
    std::string_view token = authorization.substr(kScheme.size());
    if (token.front() != ' ' && token.front() != '\t') return std::nullopt;
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
        token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token.empty()) return std::nullopt;
    return token;
}

bool constant_time_equal(std::string_view presented, std::string_view secret) {
    // Every byte of the secret is visited once, whatever is presented; a length mismatch is
    // folded into the same accumulator instead of returning early.
    volatile unsigned char diff = presented.size() == secret.size() ? 0 : 1;
    for (size_t i = 0; i < secret.size(); ++i) {
        const unsigned char p = i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
        diff = diff | (p ^ static_cast<unsigned char>(secret[i]));
    }
    return diff == 0;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    auto decode = [&](std::string_view text) -> std::optional<std::string> {
        std::string out;
        for (size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '+') {
                out.push_back(' ');
            } else if (text[i] == '%') {
                if (i + 2 >= text.size()) return std::nullopt;
                const int hi = hex(text[i + 1]);
                const int lo = hex(text[i + 2]);
                if (hi < 0 || lo < 0) return std::nullopt;
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
            } else {
                out.push_back(text[i]);
            }
        }
        return out;
    };
    while (!query.empty()) {
        const size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const size_t eq = pair.find('=');
        const auto key = decode(pair.substr(0, eq));
        if (!key || *key != name) continue;
        if (eq == std::string_view::npos) return std::string();
        return decode(pair.substr(eq + 1));
    }
    return std::nullopt;
}

bool json_depth_within(std::string_view text, int max_depth) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

bool has_control_chars(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F) return true;
        // U+0080..U+009F are encoded C2 80..C2 9F.
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F)
            return true;
    }
    return false;
}

}  // namespace elizacloud::rest
