// Small helpers shared by the emulator: clocks, ids, random keys, text utilities and an
// interruptible sleep used by delays, stalls and synchronous provisioning.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace emu {

// Milliseconds since the Unix epoch (wall clock; every timestamp the emulator reports).
int64_t now_ms();
// ISO-8601 UTC with milliseconds, e.g. "2026-04-27T12:00:00.000Z" (JS Date serialisation).
std::string iso_ms(int64_t epoch_ms);

// Cryptographically random lowercase hex of 2*bytes characters.
std::string random_hex(size_t bytes);
// Random RFC 4122 version-4 UUID, lowercase.
std::string uuid_v4();
// 8-4-4-4-12 hexadecimal form (any version), as zod's uuid check accepts.
bool is_uuid(std::string_view s);
// "eliza_" + 64 lowercase hex.
bool is_api_key_format(std::string_view s);
// A new API key and its 12-character prefix.
std::string new_api_key();
inline std::string key_prefix(std::string_view key) {
    return std::string(key.substr(0, 12));
}

// Splits UTF-8 text into pieces of at most max_chars code points (max_chars > 0).
std::vector<std::string> split_utf8(std::string_view text, size_t max_chars);
// Splits text into words, each word but the first keeping its leading space ("a b" -> "a", " b").
std::vector<std::string> split_words(std::string_view text);
// Number of UTF-8 code points.
size_t utf8_length(std::string_view text);
// ceil(chars / 4), at least 1 for non-empty text: the emulator's token estimate.
int64_t token_estimate(std::string_view text);

std::string html_escape(std::string_view s);
// application/x-www-form-urlencoded value of one field, or "" when absent.
std::string form_field(std::string_view body, std::string_view name);
std::string percent_decode(std::string_view s, bool plus_is_space);

// Glob match of a whole path: '*' = any run of non-'/' characters, '**' = anything.
bool glob_match(std::string_view pattern, std::string_view path);

// Sleeps that end early on shutdown or when interrupt_all() is called (reset, faults cleared).
class Sleeper {
public:
    // Returns false when woken early.
    bool sleep_for(int64_t ms);
    // Like sleep_for, but also returns at once if interrupt_all() was called after generation()
    // returned `since` (so an interruption that comes before the sleep starts is not lost).
    bool sleep_for(int64_t ms, uint64_t since);
    uint64_t generation() const;
    // Sleeps the whole time unless the emulator shuts down (for work that takes a while, such
    // as a synchronous provision, which resets and cleared faults must not cut short).
    void sleep_full(int64_t ms);
    void interrupt_all();
    void shutdown();
    bool shutting_down() const;

private:
    mutable std::mutex mu_;
    std::condition_variable cv_;
    uint64_t generation_ = 0;
    bool shutdown_ = false;
};

}  // namespace emu
