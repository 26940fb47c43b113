#include "api/raw_call.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "api/upload_files.hpp"
#include "net/base_url.hpp"
#include "util/error.hpp"

namespace elizacloud::api {
namespace {

[[noreturn]] void invalid(const std::string &message) {
    throw Error(Status::InvalidArgument, "request: " + message);
}

bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

// A segment of a concrete path, as it will be sent: RFC 3986 pchar, with '%' only as %XX.
void check_encoded_segment(std::string_view segment, std::string_view path) {
    if (is_dot_segment(segment))
        invalid("the path " + std::string(path) + " has a dot segment (. or .., also encoded)");
    for (size_t i = 0; i < segment.size(); ++i) {
        const auto c = static_cast<unsigned char>(segment[i]);
        if (c == '%') {
            if (i + 2 >= segment.size() || !is_hex(segment[i + 1]) || !is_hex(segment[i + 2]))
                invalid("the path has a bad percent-escape");
            i += 2;
            continue;
        }
        const bool ok =
            std::isalnum(c) || std::string_view("-._~!$&'()*+,;=:@").find(static_cast<char>(c)) !=
                                   std::string_view::npos;
        if (!ok)
            invalid(
                "the path has a character that must be percent-encoded (use a {placeholder} "
                "and pathParams to have values encoded)");
    }
}

// Fills the {placeholders} of a template path from pathParams (each value one encoded segment;
// a last "{path}"-like catch-all keeps its '/' between encoded segments).
std::string fill_template(std::string_view path, const json::Value *path_params) {
    std::vector<std::string_view> used;
    std::string out;
    const std::vector<std::string> segments = split_path(path);
    for (size_t i = 0; i < segments.size(); ++i) {
        std::string_view seg = segments[i];
        out += '/';
        const bool hole = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
        if (!hole) {
            if (seg.find('{') != std::string_view::npos || seg.find('}') != std::string_view::npos)
                invalid("a placeholder must be a whole path segment: " + std::string(seg));
            check_encoded_segment(seg, path);
            out += seg;
            continue;
        }
        std::string_view name = seg.substr(1, seg.size() - 2);
        const json::Value *v = path_params ? json::member(*path_params, name) : nullptr;
        if (!v || !v->IsString() || v->GetStringLength() == 0)
            invalid("pathParams." + std::string(name) + " is required by " + std::string(path));
        used.push_back(name);
        const std::string_view value(v->GetString(), v->GetStringLength());
        const bool catch_all =
            i + 1 == segments.size() && (name == "path" || name == "[...path]" || name == "model");
        if (!catch_all) {
            if (is_dot_segment(value))
                invalid("pathParams." + std::string(name) + " must not be . or ..");
            out += encode_path_segment(value);
            continue;
        }
        // The rest of the path: its own segments, each encoded, none empty or a dot segment.
        size_t start = 0;
        bool first = true;
        while (start <= value.size()) {
            size_t end = value.find('/', start);
            if (end == std::string_view::npos) end = value.size();
            std::string_view part = value.substr(start, end - start);
            if (part.empty() || is_dot_segment(part))
                invalid("pathParams." + std::string(name) +
                        " has an empty or dot segment: " + std::string(value));
            if (!first) out += '/';
            out += encode_path_segment(part);
            first = false;
            start = end + 1;
        }
    }
    if (path_params)
        for (auto it = path_params->MemberBegin(); it != path_params->MemberEnd(); ++it) {
            std::string_view key(it->name.GetString(), it->name.GetStringLength());
            if (std::find(used.begin(), used.end(), key) == used.end())
                invalid("pathParams." + std::string(key) + " is not a placeholder of " +
                        std::string(path));
        }
    return out;
}

std::string scalar_text(const json::Value &v, std::string_view key) {
    if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    if (v.IsNumber()) return json::stringify(v);
    invalid("query." + std::string(key) + " must be a string, number, boolean or an array of them");
}

std::string build_query(const json::Value *query) {
    std::string out;
    if (!query) return out;
    auto add = [&out](std::string_view key, const std::string &value) {
        out += out.empty() ? '?' : '&';
        out += encode_query_value(key);
        out += '=';
        out += encode_query_value(value);
    };
    for (auto it = query->MemberBegin(); it != query->MemberEnd(); ++it) {
        std::string_view key(it->name.GetString(), it->name.GetStringLength());
        if (key.empty()) invalid("a query parameter has an empty name");
        const json::Value &v = it->value;
        if (v.IsNull()) continue;
        if (v.IsArray()) {
            for (const auto &item : v.GetArray()) add(key, scalar_text(item, key));
        } else {
            add(key, scalar_text(v, key));
        }
    }
    return out;
}

bool is_token(std::string_view name) {
    if (name.empty()) return false;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (!std::isalnum(c) && std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) ==
                                    std::string_view::npos)
            return false;
    }
    return true;
}

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// Headers the client owns: the key, and what framing or routing depends on.
constexpr std::array<std::string_view, 7> kReservedHeaders{
    "X-API-Key", "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "TE"};

Headers build_headers(const json::Value *headers) {
    Headers out;
    if (!headers) return out;
    for (auto it = headers->MemberBegin(); it != headers->MemberEnd(); ++it) {
        std::string name(it->name.GetString(), it->name.GetStringLength());
        std::string value(it->value.GetString(), it->value.GetStringLength());
        if (!is_token(name)) invalid("header name \"" + name + "\" is not an HTTP token");
        for (std::string_view reserved : kReservedHeaders)
            if (same_name(name, reserved)) invalid("the " + name + " header is set by the client");
        if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
            invalid("header " + name + " has a CR, LF or NUL in its value");
        if (value.empty()) invalid("header " + name + " has an empty value");
        if (same_name(name, "Content-Type"))
            invalid("give the body's type as contentType, not as a header");
        out.emplace_back(std::move(name), std::move(value));
    }
    return out;
}

}  // namespace

// files: {field: file | [file, …]}; form: {field: text}. Text fields go first.
static std::vector<FormPart> multipart_body(const json::Value &files, const json::Value *form) {
    std::vector<FormPart> parts;
    if (form)
        for (auto it = form->MemberBegin(); it != form->MemberEnd(); ++it) {
            FormPart field;
            field.name.assign(it->name.GetString(), it->name.GetStringLength());
            field.data.assign(it->value.GetString(), it->value.GetStringLength());
            if (field.name.empty()) invalid("form: a field name must not be empty");
            parts.push_back(std::move(field));
        }
    if (files.MemberCount() == 0) invalid("files must name at least one file");
    for (auto it = files.MemberBegin(); it != files.MemberEnd(); ++it) {
        const std::string_view field(it->name.GetString(), it->name.GetStringLength());
        if (field.empty()) invalid("files: a field name must not be empty");
        if (it->value.IsArray()) {
            if (it->value.Empty()) invalid("files." + std::string(field) + " is an empty list");
            for (const auto &file : it->value.GetArray()) parts.push_back(file_part(field, file));
        } else {
            parts.push_back(file_part(field, it->value));
        }
    }
    return parts;
}

RawCall build_raw_call(const json::Value &params, Generation generation) {
    RawCall call;
    call.method = json::get_string(params, "method").value_or("GET");
    std::string path = json::get_string(params, "path").value_or("");
    if (path.empty() || path.front() != '/')
        invalid("path must start with / (e.g. /api/v1/models)");
    if (path.find_first_of("?#") != std::string::npos)
        invalid("path must not carry a query or fragment: give query parameters in query");
    if (path.size() > 1 && path.back() == '/') path.pop_back();
    const json::Value *path_params = json::member(params, "pathParams");
    if (path_params && path_params->IsNull()) path_params = nullptr;
    call.path_and_query = fill_template(path, path_params);
    // No empty segments ("//"): a catalogue path never has one.
    if (call.path_and_query.find("//") != std::string::npos)
        invalid("the path has an empty segment");

    const std::string concrete = call.path_and_query;
    if (!json::get_bool(params, "uncatalogued").value_or(false)) {
        std::string allowed;
        call.route = find_route(generation, call.method, concrete, &allowed);
        if (!call.route) {
            const std::string gen(generation_name(
                generation == Generation::Unknown ? Generation::Milady : generation));
            if (!allowed.empty())
                invalid(concrete + " takes " + allowed + ", not " + call.method + " (on the " +
                        gen + " API generation)");
            invalid(call.method + " " + concrete + " is not a public route of the " + gen +
                    " API generation (routes lists them; pass uncatalogued to call it anyway)");
        }
    }
    call.path_and_query += build_query(json::member(params, "query"));

    const json::Value *body_json = json::member(params, "json");
    const auto body_text = json::get_string(params, "body");
    const auto content_type = json::get_string(params, "contentType");
    const json::Value *files = json::member(params, "files");
    const json::Value *form = json::member(params, "form");
    if (files && files->IsNull()) files = nullptr;
    if (form && form->IsNull()) form = nullptr;
    if (body_json && !body_json->IsNull() && body_text) invalid("give json or body, not both");
    if (files && ((body_json && !body_json->IsNull()) || body_text))
        invalid("give files (a multipart body) or json or body, not several");
    if (form && !files) invalid("form goes with files (a multipart body)");
    if (content_type && !body_text) invalid("contentType goes with body");
    if (content_type &&
        content_type->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
        invalid("contentType has a CR, LF or NUL");
    call.headers = build_headers(json::member(params, "headers"));
    if ((call.method == "GET" || call.method == "HEAD") &&
        ((body_json && !body_json->IsNull()) || body_text || files))
        invalid(call.method + " requests carry no body");
    if (files) call.form = multipart_body(*files, form);
    if (body_json && !body_json->IsNull()) {
        call.has_body = true;
        call.body = json::stringify(*body_json);
        call.headers.emplace_back("Content-Type", "application/json");
    } else if (body_text) {
        call.has_body = true;
        call.body = *body_text;
        call.headers.emplace_back("Content-Type",
                                  content_type.value_or("text/plain; charset=utf-8"));
    }

    const std::string stream = json::get_string(params, "stream").value_or("none");
    call.stream = stream == "sse"     ? StreamMode::Sse
                  : stream == "bytes" ? StreamMode::Bytes
                                      : StreamMode::None;
    if (auto n = json::get_int(params, "maxRetries")) {
        if (*n < 0 || *n > 10) invalid("maxRetries must be between 0 and 10");
        call.max_retries = static_cast<int>(*n);
    }
    if (auto n = json::get_int(params, "timeoutMs")) {
        if (*n <= 0 || *n > 3'600'000) invalid("timeoutMs must be between 1 and 3600000");
        call.timeout_ms = static_cast<int>(*n);
    }
    call.idempotent = call.method == "GET" || call.method == "HEAD" || call.method == "PUT" ||
                      call.method == "DELETE" ||
                      json::get_bool(params, "idempotent").value_or(false);
    return call;
}

}  // namespace elizacloud::api
