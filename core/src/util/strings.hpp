// Small string helpers shared by every layer (one of each).
#pragma once

#include <string_view>

namespace elizacloud {

// Without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
constexpr std::string_view trim(std::string_view text) {
    constexpr std::string_view kBlanks = " \t\n\v\f\r";
    const size_t first = text.find_first_not_of(kBlanks);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kBlanks) - first + 1);
}

// ASCII case folding, as HTTP names and hosts need (std::tolower is a locale-aware library call
// per character).
constexpr char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace elizacloud
