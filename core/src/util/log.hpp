// Logging facade over a private spdlog logger. Every line passes through redact() so API keys
// never reach a sink; the sink can be redirected to a host callback (C ABI log sink, plugin host).
#pragma once

#include <fmt/format.h>

#include <functional>
#include <string>
#include <string_view>

namespace elizacloud::log {

enum class Level : int32_t { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Off = 6 };

// Replaces API keys (eliza_…, X-API-Key / Authorization header values, "apiKey" JSON values)
// with their first 12 characters followed by "…". Safe to call on any text.
std::string redact(std::string_view text);

// The form of a URL that may appear in a message: the userinfo (everything between the scheme
// and the last "@") becomes "…", the query and the fragment become "?…" and "#…", and what is
// left goes through redact(), so a key in the path keeps only its 12-character prefix. Works on
// malformed URLs too (it never needs to parse them).
std::string redact_url(std::string_view url);

void set_level(Level level);
Level level();
// Replace the default stderr sink. The callback receives already-redacted lines; it may be called
// from any library thread and must not block for long. Pass nullptr to restore stderr.
using Sink = std::function<void(Level, std::string_view line)>;
void set_sink(Sink sink);

void write(Level level, std::string_view message);

template <typename... Args>
void trace(fmt::format_string<Args...> f, Args &&...args) {
    if (level() <= Level::Trace) write(Level::Trace, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void debug(fmt::format_string<Args...> f, Args &&...args) {
    if (level() <= Level::Debug) write(Level::Debug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args &&...args) {
    if (level() <= Level::Info) write(Level::Info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args &&...args) {
    if (level() <= Level::Warn) write(Level::Warn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void error(fmt::format_string<Args...> f, Args &&...args) {
    if (level() <= Level::Error) write(Level::Error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace elizacloud::log
