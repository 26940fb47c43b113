#include "api/upload_files.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include "api/call_params.hpp"
#include "util/encoding.hpp"
#include "util/error.hpp"

namespace elizacloud::api {
namespace {

[[noreturn]] void invalid(std::string message) {
    throw Error(Status::InvalidArgument, std::move(message));
}

std::string text_of(const json::Value &v) {
    return std::string(v.GetString(), v.GetStringLength());
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string extension_of(std::string_view filename) {
    const size_t dot = filename.rfind('.');
    return dot == std::string_view::npos ? std::string() : lower(filename.substr(dot + 1));
}

std::string accept_list(std::string_view accept) {
    std::string out = "." + std::string(accept);
    for (size_t bar = out.find('|'); bar != std::string::npos; bar = out.find('|', bar))
        out.replace(bar, 1, " .");
    return out;
}

// A name the server sees: no path, no control characters (they would end up in a part header).
void check_filename(const std::string &name, const std::string &what) {
    if (name.empty()) invalid(what + ": filename must be a non-empty string");
    if (name == "." || name == ".." || std::any_of(name.begin(), name.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '/' || c == '\\';
        }))
        invalid(what + ": filename must be a plain file name (no path, no control characters)");
}

void check_content_type(const std::string &type, const std::string &what) {
    if (type.empty() || type.size() > 255 ||
        std::any_of(type.begin(), type.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }) ||
        type.find('/') == std::string::npos)
        invalid(what + ": contentType must be a media type such as audio/mpeg");
}

const json::Value *string_member(const json::Value &v, std::string_view key,
                                 const std::string &what) {
    const json::Value *m = json::member(v, key);
    if (m && !m->IsNull() && !m->IsString())
        invalid(what + ": " + std::string(key) + " must be a string");
    return m && m->IsString() ? m : nullptr;
}

// The part of one file, checked and measured; `bytes` is its size.
FormPart resolve(std::string_view field, const json::Value &v, const std::string &what,
                 uint64_t &bytes) {
    FormPart part;
    part.name = std::string(field);
    const json::Value *path = nullptr;
    const json::Value *data = nullptr;
    if (v.IsString()) {
        path = &v;
    } else if (v.IsObject()) {
        for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
            const std::string_view key(it->name.GetString(), it->name.GetStringLength());
            if (key != "path" && key != "data" && key != "filename" && key != "contentType")
                invalid(what + ": unknown member \"" + std::string(key) +
                        "\" (a file is {path | data, filename, contentType})");
        }
        path = string_member(v, "path", what);
        data = string_member(v, "data", what);
        if (!path == !data) invalid(what + ": give either path or data (base64)");
        if (const json::Value *name = string_member(v, "filename", what))
            part.filename = text_of(*name);
        else if (data)
            invalid(what + ": filename is required with data");
        if (const json::Value *type = string_member(v, "contentType", what))
            part.content_type = text_of(*type);
    } else {
        invalid(what + " must be a path or {path | data, filename, contentType}");
    }
    if (path) {
        part.path = text_of(*path);
        if (part.path.empty() || part.path.find('\0') != std::string::npos)
            invalid(what + ": the path must be a non-empty string without NUL");
        std::error_code ec;
        const std::filesystem::path file(part.path);
        const auto status = std::filesystem::status(file, ec);
        if (ec || !std::filesystem::exists(status))
            throw Error(Status::Io, what + ": cannot read " + part.path + ": no such file");
        if (!std::filesystem::is_regular_file(status))
            throw Error(Status::Io, what + ": " + part.path + " is not a regular file");
        bytes = std::filesystem::file_size(file, ec);
        if (ec) throw Error(Status::Io, what + ": cannot read " + part.path + ": " + ec.message());
        if (!std::ifstream(file, std::ios::binary).is_open())
            throw Error(Status::Io, what + ": cannot read " + part.path + ": permission denied");
        if (part.filename.empty()) part.filename = file.filename().string();
    } else {
        std::optional<std::string> decoded = base64_decode(text_of(*data));
        if (!decoded) invalid(what + ": data must be base64");
        part.data = std::move(*decoded);
        bytes = part.data.size();
    }
    check_filename(part.filename, what);
    if (part.content_type.empty())
        part.content_type = std::string(media_type_for(part.filename));
    else
        check_content_type(part.content_type, what);
    return part;
}

std::string megabytes(int64_t bytes) {
    if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MB";
    return std::to_string(bytes) + " bytes";
}

std::string part_name(const ParamSpec &p, size_t index) {
    std::string name(p.part.empty() ? p.name : p.part);
    if (const size_t hole = name.find("{n}"); hole != std::string::npos)
        name.replace(hole, 3, std::to_string(index));
    return name;
}

}  // namespace

void check_file_value(const ParamSpec &p, const json::Value &v) {
    const std::string name(p.name);
    auto check_one = [&](const json::Value &file) {
        if (file.IsString()) {
            if (file.GetStringLength() == 0) invalid(name + ": a file path must not be empty");
            return;
        }
        if (!file.IsObject()) invalid(name + " must be a path or {path | data, filename}");
    };
    if (p.type == ParamType::File) return check_one(v);
    if (!v.IsArray()) invalid(name + " must be a list of files");
    if (v.Empty()) invalid(name + " must have at least one file");
    if (p.max_items >= 0 && v.Size() > static_cast<rapidjson::SizeType>(p.max_items))
        invalid(name + ": at most " + std::to_string(p.max_items) + " files at a time (" +
                std::to_string(v.Size()) + " given)");
    for (const auto &file : v.GetArray()) check_one(file);
}

std::vector<FormPart> multipart_parts(const OperationSpec &op, const json::Value &params) {
    std::vector<FormPart> parts;
    std::vector<FormPart> files;  // after the text fields: a server reading fields first sees them
    for (const ParamSpec &p : op.params) {
        if (p.in != ParamIn::Body) continue;
        const json::Value *v = json::member(params, p.name);
        if (!v || v->IsNull()) continue;
        const std::string name(p.name);
        if (p.type != ParamType::File && p.type != ParamType::Files) {
            FormPart field;
            field.name = name;
            field.data = v->IsString() ? text_of(*v) : json::stringify(*v);
            parts.push_back(std::move(field));
            continue;
        }
        check_file_value(p, *v);
        std::vector<const json::Value *> given;
        if (p.type == ParamType::File)
            given.push_back(v);
        else
            for (const auto &file : v->GetArray()) given.push_back(&file);
        uint64_t total = 0;
        for (size_t i = 0; i < given.size(); ++i) {
            const std::string what =
                p.type == ParamType::File ? name : name + "[" + std::to_string(i) + "]";
            uint64_t bytes = 0;
            FormPart part = resolve(part_name(p, i), *given[i], what, bytes);
            if (p.max_length >= 0 && bytes > static_cast<uint64_t>(p.max_length))
                invalid(what + ": " + part.filename + " has " + std::to_string(bytes) +
                        " bytes; the cloud takes at most " + megabytes(p.max_length) + " per file");
            if (!p.accept.empty() && !in_bar_list(extension_of(part.filename), p.accept))
                invalid(what + ": " + part.filename + " is not a type the cloud takes (" +
                        accept_list(p.accept) + ")");
            total += bytes;
            files.push_back(std::move(part));
        }
        if (p.max_total_bytes >= 0 && total > static_cast<uint64_t>(p.max_total_bytes))
            invalid(name + ": " + std::to_string(total) +
                    " bytes in all; the cloud takes at most " + megabytes(p.max_total_bytes) +
                    " per upload");
    }
    for (FormPart &file : files) parts.push_back(std::move(file));
    return parts;
}

FormPart file_part(std::string_view field, const json::Value &file) {
    uint64_t bytes = 0;
    return resolve(field, file, "files." + std::string(field), bytes);
}

std::string_view media_type_for(std::string_view filename) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kTypes{{
        {"mp3", "audio/mpeg"},
        {"mpeg", "audio/mpeg"},
        {"mp4", "audio/mp4"},
        {"m4a", "audio/mp4"},
        {"wav", "audio/wav"},
        {"webm", "audio/webm"},
        {"ogg", "audio/ogg"},
        {"pdf", "application/pdf"},
        {"txt", "text/plain"},
        {"md", "text/markdown"},
        {"doc", "application/msword"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"json", "application/json"},
        {"xml", "application/xml"},
        {"yaml", "application/x-yaml"},
        {"yml", "application/x-yaml"},
        {"csv", "text/csv"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"html", "text/html"},
        {"zip", "application/zip"},
    }};
    const std::string extension = extension_of(filename);
    for (const auto &[ext, type] : kTypes)
        if (ext == extension) return type;
    return "application/octet-stream";
}

}  // namespace elizacloud::api
