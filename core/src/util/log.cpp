#include "util/log.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

namespace elizacloud::log {
namespace {

constexpr size_t kKeptPrefix = 12;
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // "…" in UTF-8

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_key_char(char c) {
    return is_alnum(c) || c == '_' || c == '-';
}
bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

std::string mask(std::string_view secret) {
    if (secret.size() <= kKeptPrefix) return std::string(kEllipsis);
    return std::string(secret.substr(0, kKeptPrefix)) + std::string(kEllipsis);
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (lower(text[i]) != prefix[i]) return false;
    }
    return true;
}

// Where the secret value of a "name: value", "name=value" or "\"name\": \"value\"" field starts
// and ends, the name beginning at `pos`; nullopt when the text there is no such field.
struct Span {
    size_t begin;
    size_t end;
};
std::optional<Span> field_value(std::string_view text, size_t pos, size_t name_len,
                                bool is_authorization) {
    size_t i = pos + name_len;
    if (i < text.size() && text[i] == '"') ++i;  // JSON key
    while (i < text.size() && is_blank(text[i])) ++i;
    if (i >= text.size() || (text[i] != ':' && text[i] != '=')) return std::nullopt;
    ++i;
    while (i < text.size() && is_blank(text[i])) ++i;
    bool quoted = i < text.size() && text[i] == '"';
    if (quoted) ++i;
    if (is_authorization) {
        // Keep the scheme ("Bearer", "Basic") readable; the credential after it is the secret.
        size_t word = i;
        while (word < text.size() && is_alnum(text[word])) ++word;
        if (word > i && word < text.size() && is_blank(text[word])) {
            i = word;
            while (i < text.size() && is_blank(text[i])) ++i;
        }
    }
    size_t end = i;
    if (quoted) {
        while (end < text.size() && text[end] != '"') end += (text[end] == '\\') ? 2 : 1;
        end = std::min(end, text.size());
    } else {
        while (end < text.size() && !is_blank(text[end]) && text[end] != '\r' &&
               text[end] != '\n' && text[end] != '"' && text[end] != ',' && text[end] != ';' &&
               text[end] != '&' && text[end] != '}')
            ++end;
    }
    if (end == i) return std::nullopt;
    return Span{i, end};
}

// Masks the values of fields that carry credentials: headers, query parameters, JSON members.
std::string redact_fields(std::string_view text) {
    static constexpr std::array<std::string_view, 4> kNames = {"x-api-key", "apikey", "api_key",
                                                               "authorization"};
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        bool replaced = false;
        if (i == 0 || !is_key_char(text[i - 1])) {
            for (std::string_view name : kNames) {
                if (!starts_with_ci(text.substr(i), name)) continue;
                auto span = field_value(text, i, name.size(), name == "authorization");
                if (!span) continue;
                out.append(text.substr(i, span->begin - i));
                out.append(mask(text.substr(span->begin, span->end - span->begin)));
                i = span->end;
                replaced = true;
                break;
            }
        }
        if (!replaced) out.push_back(text[i++]);
    }
    return out;
}

// Masks bare Eliza Cloud keys ("eliza_" + key characters) wherever they appear.
std::string redact_keys(std::string_view text) {
    static constexpr std::string_view kKeyPrefix = "eliza_";
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        size_t found = text.find(kKeyPrefix, i);
        if (found == std::string_view::npos) break;
        size_t end = found + kKeyPrefix.size();
        while (end < text.size() && is_key_char(text[end])) ++end;
        out.append(text.substr(i, found - i));
        std::string_view token = text.substr(found, end - found);
        // Longer than the kept prefix: a key. Shorter tokens (and already masked ones) stay.
        out.append(token.size() > kKeptPrefix ? mask(token) : std::string(token));
        i = end;
    }
    out.append(text.substr(i));
    return out;
}

// Forwards each (already redacted) message to the host's callback. No lock: the callback may
// log again, and host loggers are thread-safe themselves.
class CallbackSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
public:
    explicit CallbackSink(Sink callback) : sink_(std::move(callback)) {}

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override {
        sink_(static_cast<Level>(msg.level),
              std::string_view(msg.payload.data(), msg.payload.size()));
    }
    void flush_() override {}

private:
    Sink sink_;
};

std::shared_ptr<spdlog::logger> make_stderr_logger() {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>("elizacloud", std::move(sink));
    logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [elizacloud] [%l] %v");
    logger->set_level(spdlog::level::trace);  // filtering happens in level() before formatting
    return logger;
}

// The logger is private (never registered with spdlog's global registry) so a host that also
// uses spdlog keeps its own configuration. It is replaced, not mutated, when the sink changes.
struct State {
    std::atomic<int32_t> level{static_cast<int32_t>(Level::Info)};
    std::mutex mutex;
    std::shared_ptr<spdlog::logger> logger = make_stderr_logger();
};

State &state() {
    static State *s = new State;  // never destroyed: threads may log during static destruction
    return *s;
}

std::shared_ptr<spdlog::logger> current_logger() {
    State &s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    return s.logger;
}

}  // namespace

std::string redact(std::string_view text) {
    return redact_keys(redact_fields(text));
}

std::string redact_url(std::string_view url) {
    std::string out;
    // The query and the fragment can carry anything (tokens, keys): only their presence shows.
    size_t cut = url.find_first_of("?#");
    std::string_view kept = url.substr(0, cut);
    // The authority starts after "scheme:" and any slashes (or backslashes, in malformed URLs);
    // anything up to the last "@" of the rest is a userinfo (or could be read as one).
    size_t authority = 0;
    if (size_t colon = kept.find(':'); colon != std::string_view::npos) {
        authority = colon + 1;
        while (authority < kept.size() && (kept[authority] == '/' || kept[authority] == '\\'))
            ++authority;
    }
    size_t at = kept.rfind('@');
    if (at != std::string_view::npos && at >= authority) {
        out.append(kept.substr(0, authority));
        out.append(kEllipsis);
        out.append(kept.substr(at));
    } else {
        out.append(kept);
    }
    if (cut != std::string_view::npos) {
        out.push_back(url[cut]);
        out.append(kEllipsis);
    }
    return redact(out);
}

void set_level(Level level) {
    state().level.store(static_cast<int32_t>(level));
}

Level level() {
    return static_cast<Level>(state().level.load());
}

void set_sink(Sink sink) {
    std::shared_ptr<spdlog::logger> logger;
    if (sink) {
        logger = std::make_shared<spdlog::logger>("elizacloud",
                                                  std::make_shared<CallbackSink>(std::move(sink)));
        logger->set_level(spdlog::level::trace);
    } else {
        logger = make_stderr_logger();
    }
    State &s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.logger = std::move(logger);
}

void write(Level level, std::string_view message) {
    if (level == Level::Off || level < log::level()) return;
    std::string clean = redact(message);
    current_logger()->log(static_cast<spdlog::level::level_enum>(level), "{}", clean);
}

}  // namespace elizacloud::log
