#include "util/json_scan.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

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

}  // namespace

std::optional<std::string> top_level_string(std::string_view text, std::string_view key) {
    TopLevelString handler(key);
    rapidjson::MemoryStream memory(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(memory);
    rapidjson::Reader reader(&detail::crt_allocator(), 64);
    if (reader.Parse(in, handler).IsError() || !handler.is_object()) return std::nullopt;
    return std::move(handler.value);
}

}  // namespace elizacloud::json
