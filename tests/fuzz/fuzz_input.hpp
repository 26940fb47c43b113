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

}  // namespace fuzz
