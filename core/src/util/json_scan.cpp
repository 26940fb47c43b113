#include "util/json_scan.hpp"

#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

#include <cstring>
#include <memory>
#include <utility>

#include "util/json.hpp"

namespace elizacloud::json {
namespace {

// SAX handler keeping the first top-level member named key when it is a string, as the DOM's
// member lookup finds it.
class TopLevelString : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TopLevelString> {
public:
    explicit TopLevelString(std::string_view key) : key_(key) {}

    std::optional<std::string> value;
    bool is_object() const { return object_; }

    bool Default() {
        want_ = false;
        return true;
    }
    bool String(const char *str, rapidjson::SizeType length, bool) {
        if (want_) value.emplace(str, length);
        want_ = false;
        return true;
    }
    bool Key(const char *str, rapidjson::SizeType length, bool) {
        want_ = depth_ == 1 && !seen_ && std::string_view(str, length) == key_;
        seen_ = seen_ || want_;
        return true;
    }
    bool StartObject() {
        if (depth_ == 0) object_ = true;
        ++depth_;
        want_ = false;
        return true;
    }
    bool EndObject(rapidjson::SizeType) {
        --depth_;
        return true;
    }
    bool StartArray() {
        ++depth_;
        want_ = false;
        return true;
    }
    bool EndArray(rapidjson::SizeType) {
        --depth_;
        return true;
    }

private:
    std::string_view key_;
    int depth_ = 0;
    bool want_ = false;
    bool seen_ = false;
    bool object_ = false;
};

// SAX handler for scan_reply: the top-level "error" key, and the first "text" string directly
// inside the first top-level "result" when that is an object.
class ReplyHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ReplyHandler> {
public:
    ReplyScan scan;
    bool is_object() const { return object_; }
    bool Default() {
        after_key();
        return true;
    }
    bool String(const char *str, rapidjson::SizeType length, bool) {
        if (want_text_) scan.text.emplace(str, length);
        after_key();
        return true;
    }
    bool Key(const char *str, rapidjson::SizeType length, bool) {
        const std::string_view key(str, length);
        if (depth_ == 1) {
            if (key == "error") scan.has_error = true;
            result_next_ = !result_seen_ && key == "result";
            result_seen_ = result_seen_ || result_next_;
        } else if (depth_ == 2 && in_result_) {
            want_text_ = !text_seen_ && key == "text";
            text_seen_ = text_seen_ || want_text_;
        }
        return true;
    }
    bool StartObject() {
        if (depth_ == 0) object_ = true;
        if (depth_ == 1 && result_next_) in_result_ = true;
        after_key();
        ++depth_;
        return true;
    }
    bool EndObject(rapidjson::SizeType) {
        if (--depth_ == 1) in_result_ = false;
        return true;
    }
    bool StartArray() {
        after_key();
        ++depth_;
        return true;
    }
    bool EndArray(rapidjson::SizeType) {
        --depth_;
        return true;
    }

private:
    // A value has started or ended: the key before it no longer names what comes next.
    void after_key() {
        want_text_ = false;
        result_next_ = false;
    }
    int depth_ = 0;
    bool object_ = false;
    bool result_next_ = false;  // the value about to start is the first top-level "result"
    bool result_seen_ = false;
    bool in_result_ = false;
    bool want_text_ = false;  // the value about to start is result's first "text"
    bool text_seen_ = false;
};

template <typename Handler>
bool scan(std::string_view text, Handler &handler) {
    // A UTF-8 byte order mark is skipped, as json::parse's stream skips it.
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    // Parsed in place, in a copy: strings are unescaped where they lie rather than copied
    // character by character onto the reader's stack (a third of the scan). A small text is
    // copied to the stack.
    constexpr size_t kOnStack = 1024;
    char small[kOnStack];
    std::unique_ptr<char[]> large;
    char *copy = small;
    if (text.size() >= kOnStack) {
        large.reset(new char[text.size() + 1]);
        copy = large.get();
    }
    std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
    rapidjson::InsituStringStream in(copy);
    rapidjson::Reader reader(&detail::crt_allocator(), 64);
    // The in-place stream ends at the first NUL: one inside the text (not valid JSON) must not
    // end it early, so the parse has to have read it all.
    return !reader.Parse<rapidjson::kParseInsituFlag>(in, handler).IsError() &&
           in.Tell() == text.size() && handler.is_object();
}

}  // namespace

std::optional<ReplyScan> scan_reply(std::string_view text) {
    ReplyHandler handler;
    if (!scan(text, handler)) return std::nullopt;
    return std::move(handler.scan);
}

std::optional<std::string> top_level_string(std::string_view text, std::string_view key) {
    TopLevelString handler(key);
    if (!scan(text, handler)) return std::nullopt;
    return std::move(handler.value);
}

}  // namespace elizacloud::json
