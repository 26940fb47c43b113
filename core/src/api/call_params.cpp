#include "api/call_params.hpp"

#include <algorithm>
#include <unordered_map>

#include "api/registry.hpp"
#include "api/upload_files.hpp"
#include "util/error.hpp"
#include "util/uuid.hpp"

namespace elizacloud::api {
namespace {

[[noreturn]] void invalid(std::string message) {
    throw Error(Status::InvalidArgument, std::move(message));
}

std::string enum_list(std::string_view values) {
    std::string out(values);
    for (size_t bar = out.find('|'); bar != std::string::npos; bar = out.find('|', bar))
        out.replace(bar, 1, ", ");
    return out;
}

void check_string(const ParamSpec &p, const json::Value &v) {
    const std::string name(p.name);
    if (!v.IsString()) invalid(name + " must be a string");
    const std::string_view s(v.GetString(), v.GetStringLength());
    if (s.find('\0') != std::string_view::npos) invalid(name + " must not contain NUL characters");
    // A header value is one line of visible ASCII: no CR/LF can smuggle another header in.
    if (p.in == ParamIn::Header &&
        std::any_of(s.begin(), s.end(), [](char c) { return c < 0x20 || c > 0x7e; }))
        invalid(name + " must be printable ASCII on one line");
    if (p.min_length == 1 && s.empty()) invalid(name + " must be a non-empty string");
    // Limits count characters (code points), as the cloud's validators do, not bytes.
    const size_t length = static_cast<size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    if (p.min_length > 1 && length < static_cast<size_t>(p.min_length))
        invalid(name + " must have at least " + std::to_string(p.min_length) + " characters");
    if (p.max_length >= 0 && length > static_cast<size_t>(p.max_length))
        invalid(name + " must have at most " + std::to_string(p.max_length) + " characters");
}

void check_value(const ParamSpec &p, const json::Value &v) {
    const std::string name(p.name);
    switch (p.type) {
        case ParamType::String:
            return check_string(p, v);
        case ParamType::Uuid:
            if (!v.IsString() || !is_uuid(std::string_view(v.GetString(), v.GetStringLength())))
                invalid(name + " must be a UUID (8-4-4-4-12 hex digits)");
            return;
        case ParamType::Enum:
            if (!v.IsString() ||
                !in_bar_list(std::string_view(v.GetString(), v.GetStringLength()), p.enum_values))
                invalid(name + " must be one of " + enum_list(p.enum_values));
            return;
        case ParamType::Boolean:
            if (!v.IsBool()) invalid(name + " must be a boolean");
            return;
        case ParamType::Integer:
            if (!v.IsInt64()) invalid(name + " must be an integer");
            return;
        case ParamType::Number:
            if (!v.IsNumber()) invalid(name + " must be a number");
            return;
        case ParamType::Object:
            if (!v.IsObject()) invalid(name + " must be a JSON object");
            return;
        case ParamType::StringMap:
            if (!v.IsObject()) invalid(name + " must be a JSON object of strings");
            for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
                if (!it->value.IsString())
                    invalid(name + " must be a JSON object of strings (" +
                            std::string(it->name.GetString(), it->name.GetStringLength()) +
                            " is not)");
            return;
        case ParamType::Json:
            return;
        case ParamType::File:
        case ParamType::Files:
            return check_file_value(p, v);
    }
}

const ParamSpec *find_param(const OperationSpec &op, std::string_view name) {
    auto it = std::find_if(op.params.begin(), op.params.end(),
                           [&](const ParamSpec &p) { return p.name == name; });
    return it == op.params.end() ? nullptr : &*it;
}

}  // namespace

void check_params(const OperationSpec &op, std::string_view params_json, json::Document &doc) {
    std::string why;
    if (params_json.empty()) params_json = "{}";
    if (!json::parse(params_json, doc, &why)) invalid("params are not valid JSON: " + why);
    check_params(op, doc);
}

void check_params(const OperationSpec &op, const json::Document &doc) {
    if (!doc.IsObject()) invalid("params must be a JSON object");
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string_view key(it->name.GetString(), it->name.GetStringLength());
        const ParamSpec *p = find_param(op, key);
        if (!p) {
            // A passthrough body forwards what the cloud accepts beyond the documented fields.
            if (op.body == Body::Passthrough) continue;
            invalid("unknown parameter \"" + std::string(key) + "\" for method \"" +
                    std::string(op.name) + "\"");
        }
        if (!it->value.IsNull()) check_value(*p, it->value);
    }
    // A row without a stream of its own answers one JSON document: "stream": true in a forwarded
    // body would make the cloud answer SSE instead (the streaming calls are separate operations).
    if (const json::Value *stream = json::member(doc, "stream");
        op.body == Body::Passthrough && op.streaming == Streaming::None &&
        !find_param(op, "stream") && stream && stream->IsBool() && stream->GetBool())
        invalid("stream: true is not supported by \"" + std::string(op.name) +
                "\" (it answers one JSON document); use the streaming call instead");
    for (const ParamSpec &p : op.params) {
        if (!p.required) continue;
        const json::Value *v = json::member(doc, p.name);
        if (!v || v->IsNull()) invalid(std::string(p.name) + " is required");
    }
}

bool in_bar_list(std::string_view value, std::string_view values) {
    while (true) {
        const size_t bar = values.find('|');
        if (values.substr(0, bar) == value) return true;
        if (bar == std::string_view::npos) return false;
        values.remove_prefix(bar + 1);
    }
}

namespace {

std::optional<std::string> decode_string(std::string_view json_text) {
    json::Document d;
    if (json_text.empty() || !json::parse(json_text, d) || !d.IsString()) return std::nullopt;
    return std::string(d.GetString(), d.GetStringLength());
}

// The registry's string defaults, decoded once: a call that leaves out a parameter with a default
// (a message's roomId and channelType) parsed the default's JSON each time.
const std::string *string_default(const ParamSpec &p) {
    static const std::unordered_map<const ParamSpec *, std::string> defaults = [] {
        std::unordered_map<const ParamSpec *, std::string> found;
        for (const OperationSpec *op : operations()) {
            for (const ParamSpec &param : op->params) {
                if (auto value = decode_string(param.default_json)) found.emplace(&param, *value);
            }
        }
        return found;
    }();
    const auto it = defaults.find(&p);
    return it == defaults.end() ? nullptr : &it->second;
}

}  // namespace

std::optional<std::string> string_param(const OperationSpec &op, const json::Value &params,
                                        std::string_view name) {
    if (const json::Value *v = json::member(params, name); v && v->IsString())
        return std::string(v->GetString(), v->GetStringLength());
    const ParamSpec *p = find_param(op, name);
    if (!p || p->default_json.empty()) return std::nullopt;
    if (const std::string *value = string_default(*p)) return *value;
    return decode_string(p->default_json);  // a row from outside the registry (tests)
}

bool bool_param(const OperationSpec &op, const json::Value &params, std::string_view name) {
    if (const json::Value *v = json::member(params, name); v && v->IsBool()) return v->GetBool();
    if (const ParamSpec *p = find_param(op, name); p && p->default_json == "true") return true;
    return false;
}

}  // namespace elizacloud::api
