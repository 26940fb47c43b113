// Small string helpers shared by every layer (one of each).
#pragma once

#include <cstddef>
#include <string_view>

namespace elizacloud {

// Without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r). A loop, not
// find_first_not_of: that looks each character up in the set of blanks (a memchr per character),
// and every received header line is trimmed three times.
constexpr bool is_ascii_blank(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}
constexpr std::string_view trim(std::string_view text) {
    size_t first = 0, last = text.size();
    while (first < last && is_ascii_blank(text[first])) ++first;
    while (last > first && is_ascii_blank(text[last - 1])) --last;
    return text.substr(first, last - first);
}

// ASCII case folding, as HTTP names and hosts need (std::tolower is a locale-aware library call
// per character).
constexpr char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace elizacloud
