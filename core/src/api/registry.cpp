#include "api/registry.hpp"

#include <elizacloud/elizacloud.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "api/operations/operations.hpp"
#include "util/error.hpp"
#include "util/json.hpp"

namespace elizacloud::api {
namespace {

using Allocator = json::Document::AllocatorType;

struct Registry {
    std::vector<const OperationSpec *> rows;
    std::string catalogue;
};

std::string_view kind_name(Kind k) {
    return k == Kind::Http ? "http" : "session";
}
std::string_view surface_name(Surface s) {
    return s == Surface::Plain ? "plain" : "custom";
}
std::string_view scope_name(Scope s) {
    switch (s) {
        case Scope::None:
            return "none";
        case Scope::Account:
            return "account";
        case Scope::Connected:
            return "connected";
    }
    return "?";
}
std::string_view body_name(Body b) {
    switch (b) {
        case Body::None:
            return "none";
        case Body::Params:
            return "params";
        case Body::Passthrough:
            return "passthrough";
        case Body::Multipart:
            return "multipart";
    }
    return "?";
}
std::string_view errors_name(ErrorFamily e) {
    switch (e) {
        case ErrorFamily::Cloud:
            return "cloud";
        case ErrorFamily::Bridge:
            return "bridge";
        case ErrorFamily::Local:
            return "local";
    }
    return "?";
}
std::string_view answer_name(Answer a) {
    switch (a) {
        case Answer::Data:
            return "data";
        case Answer::Whole:
            return "whole";
        case Answer::JsonRpc:
            return "jsonrpc";
    }
    return "?";
}
std::string_view in_name(ParamIn in) {
    switch (in) {
        case ParamIn::Path:
            return "path";
        case ParamIn::Query:
            return "query";
        case ParamIn::Body:
            return "body";
        case ParamIn::Header:
            return "header";
        case ParamIn::Local:
            return "local";
    }
    return "?";
}

std::vector<std::string_view> split_enum(std::string_view values) {
    std::vector<std::string_view> out;
    while (!values.empty()) {
        const size_t bar = values.find('|');
        out.push_back(values.substr(0, bar));
        if (bar == std::string_view::npos) break;
        values.remove_prefix(bar + 1);
    }
    return out;
}

// The {name} placeholders of a path template.
std::vector<std::string_view> placeholders(std::string_view path) {
    std::vector<std::string_view> out;
    for (size_t open = path.find('{'); open != std::string_view::npos;
         open = path.find('{', open + 1)) {
        const size_t close = path.find('}', open);
        if (close == std::string_view::npos) break;
        out.push_back(path.substr(open + 1, close - open - 1));
    }
    return out;
}

bool valid_name(std::string_view name) {
    // Dotted lower-case words: "agents.create", "chat.completions.create".
    if (name.empty() || name.front() == '.' || name.back() == '.') return false;
    char previous = '.';
    for (char c : name) {
        const bool lower = c >= 'a' && c <= 'z';
        const bool other = (c >= '0' && c <= '9') || c == '_';
        if (c == '.' ? previous == '.' : !(lower || (other && previous != '.'))) return false;
        previous = c;
    }
    return true;
}

bool default_matches(const ParamSpec &p) {
    json::Document doc;
    if (!json::parse(p.default_json, doc)) return false;
    switch (p.type) {
        case ParamType::Boolean:
            return doc.IsBool();
        case ParamType::Integer:
            return doc.IsInt64();
        case ParamType::Number:
            return doc.IsNumber();
        case ParamType::Enum: {
            if (!doc.IsString()) return false;
            const std::string_view v(doc.GetString(), doc.GetStringLength());
            const auto values = split_enum(p.enum_values);
            return std::find(values.begin(), values.end(), v) != values.end();
        }
        case ParamType::String:
        case ParamType::Uuid:
            return doc.IsString();
        case ParamType::Object:
        case ParamType::StringMap:
            return doc.IsObject();
        case ParamType::Json:
            return true;
        case ParamType::File:
        case ParamType::Files:
            return false;  // a file has no default
    }
    return false;
}

bool known_field_type(std::string_view type, const std::set<std::string_view> &type_names) {
    if (type.ends_with("|null")) type.remove_suffix(5);
    if (type.ends_with("[]")) type.remove_suffix(2);
    static const std::set<std::string_view> primitives{"string",  "integer", "number",
                                                       "boolean", "object",  "json"};
    return primitives.count(type) > 0 || type_names.count(type) > 0;
}

std::string_view streaming_name(Streaming s) {
    switch (s) {
        case Streaming::AgentSse:
            return "agent-sse";
        case Streaming::OpenAiSse:
            return "openai-sse";
        case Streaming::AnthropicSse:
            return "anthropic-sse";
        case Streaming::Binary:
            return "binary";
        default:
            return "none";
    }
}

json::Value text(std::string_view s, Allocator &alloc) {
    return json::string_value(s, alloc);
}

json::Value path_or_null(std::string_view path, Allocator &alloc) {
    return path.empty() ? json::Value() : text(path, alloc);
}

json::Value param_json(const ParamSpec &p, Allocator &alloc) {
    json::Value v(rapidjson::kObjectType);
    json::set(v, "name", text(p.name, alloc), alloc);
    json::set(v, "arg", text(p.arg.empty() ? snake_case(p.name) : std::string(p.arg), alloc),
              alloc);
    json::set(v, "type", text(param_type_name(p.type), alloc), alloc);
    json::set(v, "in", text(in_name(p.in), alloc), alloc);
    json::set(v, "required", json::Value(p.required), alloc);
    if (p.type == ParamType::Enum) {
        json::Value values(rapidjson::kArrayType);
        for (auto e : split_enum(p.enum_values)) values.PushBack(text(e, alloc), alloc);
        json::set(v, "enum", std::move(values), alloc);
    }
    if (!p.default_json.empty()) {
        json::Document d;
        json::parse(p.default_json, d);
        json::set(v, "default", json::Value(d, alloc), alloc);
    }
    const bool file = p.type == ParamType::File || p.type == ParamType::Files;
    if (p.min_length >= 0) json::set(v, "minLength", json::Value(p.min_length), alloc);
    if (p.max_length >= 0)
        json::set(v, file ? "maxBytes" : "maxLength", json::Value(p.max_length), alloc);
    if (p.max_items >= 0) json::set(v, "maxItems", json::Value(p.max_items), alloc);
    if (p.max_total_bytes >= 0)
        json::set(v, "maxTotalBytes", json::Value(static_cast<int64_t>(p.max_total_bytes)), alloc);
    if (!p.accept.empty()) {
        json::Value values(rapidjson::kArrayType);
        for (auto e : split_enum(p.accept)) values.PushBack(text(e, alloc), alloc);
        json::set(v, "accept", std::move(values), alloc);
    }
    if (!p.part.empty()) json::set(v, "part", text(p.part, alloc), alloc);
    json::set(v, "doc", text(p.doc, alloc), alloc);
    if (p.in == ParamIn::Header) json::set(v, "header", text(p.header, alloc), alloc);
    return v;
}

json::Value operation_json(const OperationSpec &op, Allocator &alloc) {
    json::Value v(rapidjson::kObjectType);
    const size_t dot = op.name.rfind('.');
    json::set(v, "name", text(op.name, alloc), alloc);
    json::set(v, "resource",
              text(dot == std::string_view::npos ? "" : op.name.substr(0, dot), alloc), alloc);
    json::set(v, "action",
              text(dot == std::string_view::npos ? op.name : op.name.substr(dot + 1), alloc),
              alloc);
    json::set(v, "summary", text(op.summary, alloc), alloc);
    json::set(v, "kind", text(kind_name(op.kind), alloc), alloc);
    json::set(v, "surface", text(surface_name(op.surface), alloc), alloc);
    json::set(v, "scope", text(scope_name(op.scope), alloc), alloc);
    json::set(v, "method", op.http_method.empty() ? json::Value() : text(op.http_method, alloc),
              alloc);
    json::Value paths(rapidjson::kObjectType);
    if (!op.http_method.empty()) {
        json::set(paths, "milady", path_or_null(op.milady_path, alloc), alloc);
        json::set(paths, "eliza", path_or_null(op.eliza_path, alloc), alloc);
    }
    json::set(v, "paths", std::move(paths), alloc);
    json::Value params(rapidjson::kArrayType);
    for (const auto &p : op.params) params.PushBack(param_json(p, alloc), alloc);
    json::set(v, "params", std::move(params), alloc);
    json::set(v, "body", text(body_name(op.body), alloc), alloc);
    json::set(v, "result", text(op.result, alloc), alloc);
    json::set(v, "errorFamily", text(errors_name(op.errors), alloc), alloc);
    json::set(v, "answer", text(answer_name(op.answer), alloc), alloc);
    json::set(v, "idempotent", json::Value(op.idempotent), alloc);
    json::set(v, "streaming", text(streaming_name(op.streaming), alloc), alloc);
    // Both kinds of following report progress (on_progress, EC_EVENT_PROVISION_PROGRESS).
    json::set(v, "followsJob", json::Value(op.follows_job || op.follows_container), alloc);
    const int32_t timeout = default_timeout_ms(op.timing);
    json::set(v, "timeoutMs", timeout > 0 ? json::Value(timeout) : json::Value(), alloc);
    return v;
}

std::string build_catalogue(std::span<const OperationSpec *const> rows,
                            std::span<const TypeSpec> all_types) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "version", json::Value(1), alloc);
    json::Value generations(rapidjson::kArrayType);
    generations.PushBack(text("milady", alloc), alloc);
    generations.PushBack(text("eliza", alloc), alloc);
    json::set(doc, "generations", std::move(generations), alloc);
    json::Value ops(rapidjson::kArrayType);
    for (const OperationSpec *op : rows) ops.PushBack(operation_json(*op, alloc), alloc);
    json::set(doc, "operations", std::move(ops), alloc);
    json::Value types_json(rapidjson::kObjectType);
    for (const TypeSpec &t : all_types) {
        json::Value type(rapidjson::kObjectType);
        json::Value fields(rapidjson::kArrayType);
        for (const FieldSpec &f : t.fields) {
            json::Value field(rapidjson::kObjectType);
            json::set(field, "name", text(f.name, alloc), alloc);
            json::set(field, "type", text(f.type, alloc), alloc);
            json::set(field, "required", json::Value(f.required), alloc);
            json::set(field, "doc", text(f.doc, alloc), alloc);
            fields.PushBack(std::move(field), alloc);
        }
        json::set(type, "fields", std::move(fields), alloc);
        json::set(type, "open", json::Value(t.open), alloc);
        json::set(types_json, t.name, std::move(type), alloc);
    }
    json::set(doc, "types", std::move(types_json), alloc);
    // The status codes, so the bindings' error classes are generated too.
    json::Value statuses(rapidjson::kArrayType);
#define EC_STATUS_JSON_(suffix, name_, code_, doc_)                   \
    {                                                                 \
        json::Value status(rapidjson::kObjectType);                   \
        json::set(status, "name", text("EC_" #suffix, alloc), alloc); \
        json::set(status, "code", json::Value(code_), alloc);         \
        json::set(status, "class", text(#name_, alloc), alloc);       \
        json::set(status, "doc", text(doc_, alloc), alloc);           \
        statuses.PushBack(std::move(status), alloc);                  \
    }
    EC_STATUS_MAP(EC_STATUS_JSON_)
#undef EC_STATUS_JSON_
    json::set(doc, "statuses", std::move(statuses), alloc);
    return json::stringify(doc);
}

const Registry &registry() {
    static const Registry instance = [] {
        Registry r;
        for (auto group :
             {account_operations(), user_operations(), agents_operations(), backups_operations(),
              jobs_operations(), session_operations(), inference_operations(), media_operations(),
              voice_operations(), knowledge_operations(), containers_operations(), a2a_operations(),
              api_keys_operations(), billing_operations(), apps_operations(), health_operations(),
              request_operations()})
            for (const OperationSpec &op : group) r.rows.push_back(&op);
        std::sort(r.rows.begin(), r.rows.end(),
                  [](const OperationSpec *a, const OperationSpec *b) { return a->name < b->name; });
        const auto defects = check_rows(r.rows, result_types());
        if (!defects.empty()) {
            std::string message = "the operation registry has defects:";
            for (const auto &d : defects) message += "\n  " + d;
            throw Error(Status::Internal, message);
        }
        r.catalogue = build_catalogue(r.rows, result_types());
        return r;
    }();
    return instance;
}

}  // namespace

std::string_view generation_name(Generation g) {
    switch (g) {
        case Generation::Milady:
            return "milady";
        case Generation::Eliza:
            return "eliza";
        case Generation::Unknown:
            break;
    }
    return "";
}

std::string_view path_on(const OperationSpec &op, Generation g) {
    return g == Generation::Eliza ? op.eliza_path : op.milady_path;
}

bool depends_on_generation(const OperationSpec &op) {
    return op.milady_path != op.eliza_path;
}

std::string snake_case(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c >= 'A' && c <= 'Z') {
            if (!out.empty()) out += '_';
            out += static_cast<char>(c - 'A' + 'a');
        } else {
            out += c;
        }
    }
    return out;
}

std::string_view param_type_name(ParamType type) {
    switch (type) {
        case ParamType::String:
            return "string";
        case ParamType::Uuid:
            return "uuid";
        case ParamType::Boolean:
            return "boolean";
        case ParamType::Integer:
            return "integer";
        case ParamType::Number:
            return "number";
        case ParamType::Object:
            return "object";
        case ParamType::StringMap:
            return "string-map";
        case ParamType::Enum:
            return "enum";
        case ParamType::Json:
            return "json";
        case ParamType::File:
            return "file";
        case ParamType::Files:
            return "file[]";
    }
    return "?";
}

int32_t default_timeout_ms(Timing timing) {
    // ClientOptions' and LoginOptions' defaults (the handle's timings override them).
    switch (timing) {
        case Timing::Crud:
            return 30'000;
        case Timing::Bridge:
            return 60'000;
        case Timing::Heartbeat:
        case Timing::Credits:
        case Timing::LoginStep:
            return 10'000;
        case Timing::Job:
        case Timing::Login:
        case Timing::Upload:
            return 300'000;
        case Timing::Stream:
            return 120'000;
        case Timing::Local:
            return 0;
    }
    return 0;
}

std::vector<std::string> check_rows(std::span<const OperationSpec *const> rows,
                                    std::span<const TypeSpec> all_types) {
    std::vector<std::string> defects;
    std::set<std::string_view> type_names;
    for (const TypeSpec &t : all_types)
        if (!type_names.insert(t.name).second)
            defects.push_back("type " + std::string(t.name) + " is defined twice");
    for (const TypeSpec &t : all_types)
        for (const FieldSpec &f : t.fields)
            if (!known_field_type(f.type, type_names))
                defects.push_back("type " + std::string(t.name) + ": field " + std::string(f.name) +
                                  " has unknown type " + std::string(f.type));

    std::set<std::string_view> names;
    for (const OperationSpec *op : rows) {
        const std::string where = "operation " + std::string(op->name) + ": ";
        if (!valid_name(op->name)) defects.push_back(where + "name is not dotted lower-case words");
        if (!names.insert(op->name).second) defects.push_back(where + "name is used twice");
        if (op->summary.empty()) defects.push_back(where + "no summary");
        if ((op->kind == Kind::Http) != (op->handler == Method::Http))
            defects.push_back(where + "HTTP rows, and only they, use the generic executor");
        if (op->kind == Kind::Http &&
            (op->http_method.empty() || (op->milady_path.empty() && op->eliza_path.empty())))
            defects.push_back(where + "an HTTP row needs a method and a path");
        if (op->follows_job && op->follows_container)
            defects.push_back(where + "follows a job or a container, not both");
        if (op->job_end != JobEnd::Agent && !op->follows_job)
            defects.push_back(where + "a job end goes with rows that follow jobs");
        if ((op->answer == Answer::JsonRpc) != !op->rpc_method.empty())
            defects.push_back(where + "a JSON-RPC method goes with JSON-RPC answers only");
        if (op->answer == Answer::JsonRpc && op->body == Body::None)
            defects.push_back(where + "a JSON-RPC call has a body (its params)");
        if (op->kind == Kind::Http && op->errors == ErrorFamily::Bridge)
            defects.push_back(where + "the generic executor reads cloud envelopes only");

        std::string_view result = op->result;
        const bool list = result.ends_with("[]");
        if (list) result.remove_suffix(2);
        if (!type_names.count(result))
            defects.push_back(where + "unknown result type " + std::string(op->result));
        if (list != (op->shape == ResultShape::Array))
            defects.push_back(where + "a list result (X[]) and the Array shape go together");

        std::set<std::string_view> param_names;
        for (const ParamSpec &p : op->params) {
            const std::string pw = where + "parameter " + std::string(p.name) + ": ";
            if (p.name.empty()) defects.push_back(where + "a parameter has no name");
            if (!param_names.insert(p.name).second) defects.push_back(pw + "defined twice");
            if ((p.type == ParamType::Enum) != !p.enum_values.empty())
                defects.push_back(pw + "enum values go with the enum type only");
            if (!p.default_json.empty() && !default_matches(p))
                defects.push_back(pw + "the default is not a valid value");
            if (p.required && !p.default_json.empty())
                defects.push_back(pw + "a required parameter has no default");
            if (p.in == ParamIn::Path && p.type != ParamType::String && p.type != ParamType::Uuid)
                defects.push_back(pw + "path parameters are strings");
            if (p.in == ParamIn::Query &&
                (p.type == ParamType::Object || p.type == ParamType::StringMap ||
                 p.type == ParamType::Json))
                defects.push_back(pw + "query parameters are scalars");
            if ((p.in == ParamIn::Header) != !p.header.empty())
                defects.push_back(pw + "a header name goes with header parameters only");
            if (p.in == ParamIn::Header && p.type != ParamType::String)
                defects.push_back(pw + "header parameters are strings");
            if (p.min_length >= 0 && p.max_length >= 0 && p.min_length > p.max_length)
                defects.push_back(pw + "minLength is above maxLength");
            if (p.doc.empty()) defects.push_back(pw + "no doc");
            const bool file = p.type == ParamType::File || p.type == ParamType::Files;
            if (file != (p.in == ParamIn::Body && op->body == Body::Multipart && file))
                defects.push_back(pw + "files go in a multipart body");
            if (!file && (p.max_items >= 0 || p.max_total_bytes >= 0 || !p.accept.empty()))
                defects.push_back(pw + "file limits go with file parameters only");
            if (!p.part.empty() && p.type != ParamType::Files)
                defects.push_back(pw + "a part name pattern goes with a list of files only");
            if (op->body == Body::Multipart && p.in == ParamIn::Body &&
                (p.type == ParamType::StringMap))
                defects.push_back(pw + "a multipart field is a text, a JSON value or a file");
        }
        if (op->body == Body::Multipart &&
            std::none_of(op->params.begin(), op->params.end(), [](const ParamSpec &p) {
                return p.type == ParamType::File || p.type == ParamType::Files;
            }))
            defects.push_back(where + "a multipart body has a file parameter");
        // Every placeholder of each path is a path parameter and every path parameter is used.
        for (std::string_view path : {op->milady_path, op->eliza_path}) {
            if (path.empty()) continue;
            if (path.front() != '/') defects.push_back(where + "a path must start with /");
            const auto holes = placeholders(path);
            for (auto hole : holes) {
                const bool declared = std::any_of(
                    op->params.begin(), op->params.end(),
                    [&](const ParamSpec &p) { return p.name == hole && p.in == ParamIn::Path; });
                // The connected agent's routes take its id from the session, not the caller.
                const bool implicit = op->scope == Scope::Connected && hole == "agentId";
                if (!declared && !implicit)
                    defects.push_back(where + "{" + std::string(hole) +
                                      "} is not a path parameter");
            }
            for (const ParamSpec &p : op->params)
                if (p.in == ParamIn::Path &&
                    std::find(holes.begin(), holes.end(), p.name) == holes.end())
                    defects.push_back(where + "path parameter " + std::string(p.name) +
                                      " is missing from " + std::string(path));
        }
        if (op->body == Body::None)
            for (const ParamSpec &p : op->params)
                if (p.in == ParamIn::Body && op->kind == Kind::Http)
                    defects.push_back(where + "body parameter " + std::string(p.name) +
                                      " but no body");
    }
    return defects;
}

std::span<const OperationSpec *const> operations() {
    return registry().rows;
}

const OperationSpec *find_operation(std::string_view name) {
    const auto &rows = registry().rows;
    auto it =
        std::lower_bound(rows.begin(), rows.end(), name,
                         [](const OperationSpec *op, std::string_view n) { return op->name < n; });
    return it != rows.end() && (*it)->name == name ? *it : nullptr;
}

const OperationSpec &operation(std::string_view name) {
    const OperationSpec *op = find_operation(name);
    if (!op)
        throw Error(Status::Internal, "no operation " + std::string(name) + " in the registry");
    return *op;
}

std::span<const TypeSpec> types() {
    return result_types();
}

const std::string &catalogue_json() {
    return registry().catalogue;
}

}  // namespace elizacloud::api
