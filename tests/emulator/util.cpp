#include "util.hpp"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace emu {

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string iso_ms(int64_t epoch_ms) {
    std::time_t secs = static_cast<std::time_t>(epoch_ms / 1000);
    int millis = static_cast<int>(epoch_ms % 1000);
    if (millis < 0) {
        millis += 1000;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buf;
}

std::string random_hex(size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes * 2);
    for (unsigned char c : raw) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
    return out;
}

std::string uuid_v4() {
    std::string h = random_hex(16);
    h[12] = '4';
    static constexpr char kVariant[] = "89ab";
    h[16] = kVariant[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
}

static bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (!is_hex(s[i])) {
            return false;
        }
    }
    return true;
}

bool is_api_key_format(std::string_view s) {
    if (s.size() != 70 || s.substr(0, 6) != "eliza_") return false;
    for (char c : s.substr(6)) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::string new_api_key() {
    return "eliza_" + random_hex(32);
}

static size_t utf8_seq_len(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;  // invalid byte: treat as one character
}

std::vector<std::string> split_utf8(std::string_view text, size_t max_chars) {
    std::vector<std::string> out;
    std::string cur;
    size_t count = 0;
    for (size_t i = 0; i < text.size();) {
        size_t n = utf8_seq_len(static_cast<unsigned char>(text[i]));
        if (i + n > text.size()) n = text.size() - i;
        cur.append(text.substr(i, n));
        i += n;
        if (++count == max_chars) {
            out.push_back(std::move(cur));
            cur.clear();
            count = 0;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 1; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == ' ') {
            if (i > start) out.emplace_back(text.substr(start, i - start));
            start = i;
        }
    }
    return out;
}

size_t utf8_length(std::string_view text) {
    size_t n = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    }
    return n;
}

int64_t token_estimate(std::string_view text) {
    auto chars = static_cast<int64_t>(utf8_length(text));
    return (chars + 3) / 4;
}

std::string html_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
            out.push_back(
                static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else if (plus_is_space && s[i] == '+') {
            out.push_back(' ');
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::string form_field(std::string_view body, std::string_view name) {
    size_t pos = 0;
    while (pos <= body.size()) {
        size_t amp = body.find('&', pos);
        if (amp == std::string_view::npos) amp = body.size();
        std::string_view pair = body.substr(pos, amp - pos);
        size_t eq = pair.find('=');
        std::string k = percent_decode(pair.substr(0, eq), true);
        if (k == name) {
            return eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
        }
        pos = amp + 1;
    }
    return "";
}

bool glob_match(std::string_view p, std::string_view s) {
    // Iterative matcher with backtracking over the last star.
    if (p.empty()) return s.empty();
    if (p.substr(0, 2) == "**") {
        for (size_t i = 0; i <= s.size(); ++i) {
            if (glob_match(p.substr(2), s.substr(i))) return true;
        }
        return false;
    }
    if (p[0] == '*') {
        for (size_t i = 0; i <= s.size(); ++i) {
            if (glob_match(p.substr(1), s.substr(i))) return true;
            if (i < s.size() && s[i] == '/') break;
        }
        return false;
    }
    if (s.empty() || p[0] != s[0]) return false;
    return glob_match(p.substr(1), s.substr(1));
}

bool Sleeper::sleep_for(int64_t ms) {
    return sleep_for(ms, generation());
}

uint64_t Sleeper::generation() const {
    std::lock_guard<std::mutex> lock(mu_);
    return generation_;
}

bool Sleeper::sleep_for(int64_t ms, uint64_t since) {
    std::unique_lock<std::mutex> lock(mu_);
    uint64_t gen = since;
    bool woken = cv_.wait_for(lock, std::chrono::milliseconds(ms < 0 ? 0 : ms),
                              [&] { return shutdown_ || generation_ != gen; });
    return !woken;
}

void Sleeper::sleep_full(int64_t ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms < 0 ? 0 : ms);
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_until(lock, deadline, [&] { return shutdown_; });
}

void Sleeper::interrupt_all() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        ++generation_;
    }
    cv_.notify_all();
}

void Sleeper::shutdown() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        shutdown_ = true;
    }
    cv_.notify_all();
}

bool Sleeper::shutting_down() const {
    std::lock_guard<std::mutex> lock(mu_);
    return shutdown_;
}

}  // namespace emu
