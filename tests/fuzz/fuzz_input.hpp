// Splits one fuzzer input into the fields a target needs: a few leading bytes as small numbers,
// then NUL-free text pieces separated by a marker byte. Deterministic for a given input, so a
// crash reproduces from its file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fuzz {

class Input {
public:
    Input(const uint8_t *data, size_t size)
        : rest_(reinterpret_cast<const char *>(data), size) {}

    // The next byte as a number (0 once the input is used up).
    uint8_t byte() {
        if (rest_.empty()) return 0;
        const auto b = static_cast<uint8_t>(rest_.front());
        rest_.remove_prefix(1);
        return b;
    }

    // The text up to the next separator (or the end); the separator is consumed.
    std::string_view piece(char separator = '\x1f') {
        const size_t end = rest_.find(separator);
        const std::string_view out = rest_.substr(0, end);
        rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
        return out;
    }

    // Everything left.
    std::string_view rest() {
        const std::string_view out = rest_;
        rest_ = {};
        return out;
    }

private:
    std::string_view rest_;
};

// True when text shows more of an API key than its 12-character prefix: an "eliza_" followed by
// more than 6 key characters (letters, digits, '_' or '-'), i.e. a key that was not masked.
inline bool shows_a_key(std::string_view text) {
    constexpr std::string_view kPrefix = "eliza_";
    for (size_t at = text.find(kPrefix); at != std::string_view::npos;
         at = text.find(kPrefix, at + 1)) {
        size_t end = at + kPrefix.size();
        while (end < text.size() &&
               ((text[end] >= 'a' && text[end] <= 'z') || (text[end] >= 'A' && text[end] <= 'Z') ||
                (text[end] >= '0' && text[end] <= '9') || text[end] == '_' || text[end] == '-'))
            ++end;
        if (end - at > 12) return true;
    }
    return false;
}

}  // namespace fuzz
