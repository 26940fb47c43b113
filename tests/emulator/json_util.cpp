#include "json_util.hpp"

#include <rapidjson/error/en.h>

namespace emu {

bool parse_json(std::string_view text, rapidjson::Document &doc) {
    doc.Parse(text.data(), text.size());
    return !doc.HasParseError();
}

std::string to_json(const rapidjson::Value &v) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
}

std::string json_string(std::string_view s) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return std::string(buf.GetString(), buf.GetSize());
}

const rapidjson::Value *member(const rapidjson::Value &obj, const char *name) {
    if (!obj.IsObject()) return nullptr;
    auto it = obj.FindMember(name);
    return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> get_string(const rapidjson::Value &obj, const char *name) {
    const auto *v = member(obj, name);
    if (!v || !v->IsString()) return std::nullopt;
    return std::string(v->GetString(), v->GetStringLength());
}

std::optional<double> get_number(const rapidjson::Value &obj, const char *name) {
    const auto *v = member(obj, name);
    if (!v || !v->IsNumber()) return std::nullopt;
    return v->GetDouble();
}

std::optional<int64_t> get_int(const rapidjson::Value &obj, const char *name) {
    const auto *v = member(obj, name);
    if (!v || !v->IsNumber()) return std::nullopt;
    if (v->IsInt64()) return v->GetInt64();
    return static_cast<int64_t>(v->GetDouble());
}

std::optional<bool> get_bool(const rapidjson::Value &obj, const char *name) {
    const auto *v = member(obj, name);
    if (!v || !v->IsBool()) return std::nullopt;
    return v->GetBool();
}

const char *js_type(const rapidjson::Value *v) {
    if (!v) return "undefined";
    if (v->IsNull()) return "null";
    if (v->IsBool()) return "boolean";
    if (v->IsNumber()) return "number";
    if (v->IsString()) return "string";
    if (v->IsArray()) return "array";
    return "object";
}

}  // namespace emu
