#include "util/json.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>

namespace elizacloud::json {

rapidjson::CrtAllocator &detail::crt_allocator() {
    static rapidjson::CrtAllocator allocator;
    return allocator;
}

bool parse(std::string_view text, Document &doc, std::string *error) {
    // RapidJSON reads a NUL byte as the end of the text, so whatever followed one went unread
    // ({"a":1} NUL garbage parsed). A raw NUL is never valid JSON (strings escape it).
    const void *nul = text.empty() ? nullptr : std::memchr(text.data(), '\0', text.size());
    if (nul) {
        doc.SetNull();
        if (error) {
            *error = "NUL byte at offset " +
                     std::to_string(static_cast<const char *>(nul) - text.data());
        }
        return false;
    }
    // Without kParseStopWhenDoneFlag RapidJSON rejects trailing non-whitespace, as JSON requires.
    doc.Parse(text.data(), text.size());
    if (!doc.HasParseError()) return true;
    if (error) {
        *error = std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at offset " +
                 std::to_string(doc.GetErrorOffset());
    }
    return false;
}

const Value *member(const Value &v, std::string_view key) {
    if (!v.IsObject()) return nullptr;
    auto it = v.FindMember(Value(key.data(), static_cast<rapidjson::SizeType>(key.size())));
    return it == v.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> get_string(const Value &v, std::string_view key) {
    const Value *m = member(v, key);
    if (!m || !m->IsString()) return std::nullopt;
    return std::string(m->GetString(), m->GetStringLength());
}

std::optional<double> get_number(const Value &v, std::string_view key) {
    const Value *m = member(v, key);
    if (!m || !m->IsNumber()) return std::nullopt;
    return m->GetDouble();
}

std::optional<bool> get_bool(const Value &v, std::string_view key) {
    const Value *m = member(v, key);
    if (!m || !m->IsBool()) return std::nullopt;
    return m->GetBool();
}

std::optional<int64_t> get_int(const Value &v, std::string_view key) {
    const Value *m = member(v, key);
    if (!m || !m->IsInt64()) return std::nullopt;
    return m->GetInt64();
}

namespace {

// A rapidjson output stream that appends to a std::string: the text is written where it ends up
// (no StringBuffer to copy out of).
struct Appender {
    using Ch = char;
    std::string &out;
    void Put(char c) { out.push_back(c); }
    void Flush() {}
};

using AppendWriter =
    rapidjson::Writer<Appender, rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator>;

}  // namespace

std::string stringify(const Value &v) {
    std::string out;
    out.reserve(128);
    Appender stream{out};
    // Few levels to start with (the level stack grows when a document is deeper).
    AppendWriter writer(stream, &detail::crt_allocator(), 8);
    v.Accept(writer);
    return out;
}

void append_quoted(std::string &out, std::string_view text) {
    // Most strings (a message, a room id) need no escape: appended as the writer would write them
    // (it escapes only '"', '\\' and control characters).
    bool plain = true;
    for (const char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') {
            plain = false;
            break;
        }
    }
    if (plain) {
        out.reserve(out.size() + text.size() + 2);
        out += '"';
        out.append(text);
        out += '"';
        return;
    }
    Appender stream{out};
    AppendWriter writer(stream, &detail::crt_allocator(), 1);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string text_object(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 12);
    out += "{\"text\":";
    append_quoted(out, text);
    out += '}';
    return out;
}

std::string quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    append_quoted(out, text);
    return out;
}

Value string_value(std::string_view text, Document::AllocatorType &alloc) {
    return Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), alloc);
}

void set(Value &object, std::string_view key, Value value, Document::AllocatorType &alloc) {
    if (auto it =
            object.FindMember(Value(key.data(), static_cast<rapidjson::SizeType>(key.size())));
        it != object.MemberEnd()) {
        it->value = std::move(value);
        return;
    }
    object.AddMember(string_value(key, alloc), std::move(value), alloc);
}

}  // namespace elizacloud::json
