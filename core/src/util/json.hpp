// Small helpers over RapidJSON shared by every component that reads or writes JSON.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace elizacloud::json {

using Value = rapidjson::Value;

namespace detail {

// rapidjson's helper allocators (a pool's, a parse stack's, a writer's) are plain malloc; one
// shared instance spares each document and writer a `new` of its own.
rapidjson::CrtAllocator &crt_allocator();

// A document's pool, constructed before the document that uses it and destroyed after it.
struct DocumentPool {
    // rapidjson takes 64 KiB at a time by default: every small document cost a 64 KiB malloc,
    // and freeing a chunk that large makes glibc consolidate its heap. 4 KiB holds a cloud
    // answer or a call's parameters in one chunk; a larger document takes more chunks.
    static constexpr size_t kChunkBytes = 4096;
    rapidjson::MemoryPoolAllocator<> pool{kChunkBytes, &crt_allocator()};
};

}  // namespace detail

// A rapidjson::Document with the pool above. Not copyable or movable: it points at its own pool.
class Document : private detail::DocumentPool, public rapidjson::Document {
public:
    explicit Document(rapidjson::Type type = rapidjson::kNullType)
        : rapidjson::Document(type, &pool, kParseStackBytes, &detail::crt_allocator()) {}
    Document(const Document &) = delete;
    Document &operator=(const Document &) = delete;

private:
    static constexpr size_t kParseStackBytes = 256;  // grows for deeper or longer input
};

// Parses text into doc. On failure returns false and, when error is given, describes where.
bool parse(std::string_view text, Document &doc, std::string *error = nullptr);

// Member of an object; nullptr when v is not an object or has no such member.
const Value *member(const Value &v, std::string_view key);
// Typed member lookups; nullopt when absent or of another type.
std::optional<std::string> get_string(const Value &v, std::string_view key);
std::optional<double> get_number(const Value &v, std::string_view key);
std::optional<bool> get_bool(const Value &v, std::string_view key);
std::optional<int64_t> get_int(const Value &v, std::string_view key);

// Compact serialisation.
std::string stringify(const Value &v);
// A JSON string literal, quotes included, with every needed escape.
std::string quote(std::string_view text);
// The same, appended to out.
void append_quoted(std::string &out, std::string_view text);
// {"text": text}: the answer of a chat message.
std::string text_object(std::string_view text);

// Builders that copy their strings into the document's allocator.
Value string_value(std::string_view text, Document::AllocatorType &alloc);
void set(Value &object, std::string_view key, Value value, Document::AllocatorType &alloc);

}  // namespace elizacloud::json
