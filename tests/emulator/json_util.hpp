// JSON helpers over RapidJSON: a compact writer for building responses and lenient accessors
// for request bodies.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace emu {

class JsonOut {
public:
    JsonOut() : w_(buf_) {}
    JsonOut(const JsonOut &) = delete;
    JsonOut &operator=(const JsonOut &) = delete;

    JsonOut &end() {
        // Closes the innermost open object or array.
        if (stack_.empty()) return *this;
        bool is_obj = stack_.back();
        stack_.pop_back();
        if (is_obj) {
            w_.EndObject();
        } else {
            w_.EndArray();
        }
        return *this;
    }
    JsonOut &key(std::string_view k) {
        w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
        return *this;
    }
    // Starts an object / array as a field value or array element.
    JsonOut &begin_obj() {
        w_.StartObject();
        stack_.push_back(true);
        return *this;
    }
    JsonOut &begin_arr() {
        w_.StartArray();
        stack_.push_back(false);
        return *this;
    }
    JsonOut &begin_obj(std::string_view k) { return key(k).begin_obj(); }
    JsonOut &begin_arr(std::string_view k) { return key(k).begin_arr(); }

    JsonOut &put(std::string_view v) {
        w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
        return *this;
    }
    JsonOut &put(const char *v) { return put(std::string_view(v)); }
    JsonOut &put(const std::string &v) { return put(std::string_view(v)); }
    JsonOut &put(bool v) {
        w_.Bool(v);
        return *this;
    }
    JsonOut &put(std::nullptr_t) {
        w_.Null();
        return *this;
    }
    // Numbers print like JavaScript: integral values without a fraction.
    JsonOut &put(double v) {
        if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
            w_.Int64(static_cast<int64_t>(v));
        } else if (std::isfinite(v)) {
            w_.Double(v);
        } else {
            w_.Null();
        }
        return *this;
    }
    template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    JsonOut &put(T v) {
        if constexpr (std::is_signed_v<T>) {
            w_.Int64(static_cast<int64_t>(v));
        } else {
            w_.Uint64(static_cast<uint64_t>(v));
        }
        return *this;
    }
    template <class T>
    JsonOut &put(const std::optional<T> &v) {
        if (v) return put(*v);
        return put(nullptr);
    }
    // Already serialised JSON.
    JsonOut &raw(std::string_view json) {
        w_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
        return *this;
    }
    JsonOut &value(const rapidjson::Value &v) {
        v.Accept(w_);
        return *this;
    }

    template <class T>
    JsonOut &f(std::string_view k, const T &v) {
        key(k);
        return put(v);
    }
    JsonOut &f(std::string_view k, const char *v) { return key(k).put(v); }
    JsonOut &f_raw(std::string_view k, std::string_view json) { return key(k).raw(json); }
    JsonOut &f_null(std::string_view k) { return key(k).put(nullptr); }

    std::string str() const { return std::string(buf_.GetString(), buf_.GetSize()); }

private:
    rapidjson::StringBuffer buf_;
    rapidjson::Writer<rapidjson::StringBuffer> w_;
    std::vector<bool> stack_;
};

// Parses strict JSON. Returns false on a syntax error or empty input.
bool parse_json(std::string_view text, rapidjson::Document &doc);

// Serialises one value.
std::string to_json(const rapidjson::Value &v);
// Serialises a string as a JSON string literal.
std::string json_string(std::string_view s);

// Member accessors that tolerate missing members and wrong types.
const rapidjson::Value *member(const rapidjson::Value &obj, const char *name);
std::optional<std::string> get_string(const rapidjson::Value &obj, const char *name);
std::optional<double> get_number(const rapidjson::Value &obj, const char *name);
std::optional<int64_t> get_int(const rapidjson::Value &obj, const char *name);
std::optional<bool> get_bool(const rapidjson::Value &obj, const char *name);

// JavaScript typeof-style name of a JSON value, as zod reports in "received".
const char *js_type(const rapidjson::Value *v);

}  // namespace emu
