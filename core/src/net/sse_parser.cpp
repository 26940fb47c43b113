#include "net/sse_parser.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

namespace elizacloud {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool all_ascii_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The first '\r' or '\n' in bytes, or npos. Two memchr calls (vectorised) rather than
// find_first_of, which tests every byte against the set with a call of its own.
size_t line_end(std::string_view bytes) {
    const auto *lf = static_cast<const char *>(std::memchr(bytes.data(), '\n', bytes.size()));
    const size_t limit = lf ? static_cast<size_t>(lf - bytes.data()) : bytes.size();
    if (const auto *cr = static_cast<const char *>(std::memchr(bytes.data(), '\r', limit)))
        return static_cast<size_t>(cr - bytes.data());
    return lf ? limit : std::string_view::npos;
}

}  // namespace

SseParser::SseParser(size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

bool SseParser::feed(std::string_view bytes, const std::function<void(SseEvent &&)> &on_event) {
    if (failed_) return false;
    if (!bom_done_) bytes = strip_bom(bytes);
    if (failed_) return false;
    while (!bytes.empty()) {
        if (pending_cr_) {
            // A "\r\n" split across two reads is one line end, not two.
            pending_cr_ = false;
            if (bytes.front() == '\n') {
                bytes.remove_prefix(1);
                continue;
            }
        }
        const size_t end = line_end(bytes);
        if (end == std::string_view::npos) {
            append_to_line(bytes);
            break;
        }
        if (!append_to_line(bytes.substr(0, end))) break;
        pending_cr_ = bytes[end] == '\r';
        bytes.remove_prefix(end + 1);
        process_line(on_event);
        if (failed_) break;
    }
    return !failed_;
}

void SseParser::finish(const std::function<void(SseEvent &&)> &on_event) {
    if (failed_) return;
    if (!bom_done_) line_.append(kBom.substr(0, bom_matched_));  // a partial BOM was content
    // A last line without a line end still counts, and so does an event without a blank line.
    if (!line_.empty()) process_line(on_event);
    if (!failed_) dispatch(on_event);
    line_.clear();
    data_.clear();
    type_.clear();
    pending_cr_ = false;
    bom_matched_ = 0;
    bom_done_ = false;
}

// Strips a UTF-8 BOM at the very start of the stream, even when it arrives one byte at a time.
std::string_view SseParser::strip_bom(std::string_view bytes) {
    while (bom_matched_ < kBom.size() && !bytes.empty()) {
        if (bytes.front() != kBom[bom_matched_]) {
            // Not a BOM after all: the bytes held back so far are the start of the first line.
            bom_done_ = true;
            append_to_line(kBom.substr(0, bom_matched_));
            return bytes;
        }
        ++bom_matched_;
        bytes.remove_prefix(1);
    }
    if (bom_matched_ == kBom.size()) bom_done_ = true;
    return bytes;
}

bool SseParser::append_to_line(std::string_view bytes) {
    if (line_.size() + bytes.size() > max_line_bytes_) {
        fail();
        return false;
    }
    line_.append(bytes);
    return true;
}

void SseParser::process_line(const std::function<void(SseEvent &&)> &on_event) {
    const std::string_view line = line_;
    if (line.empty()) {
        dispatch(on_event);
    } else if (line.front() != ':') {  // lines starting with ':' are comments
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            process_field(line, {});
        } else {
            std::string_view value = line.substr(colon + 1);
            if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            process_field(line.substr(0, colon), value);
        }
    }
    line_.clear();
}

void SseParser::process_field(std::string_view name, std::string_view value) {
    if (name == "data") {
        // data_ holds one '\n' per line, so its size plus this value is the joined data's size.
        if (data_.size() + value.size() > max_line_bytes_) return fail();
        data_.append(value);
        data_.push_back('\n');
    } else if (name == "event") {
        type_.assign(value);
    } else if (name == "id") {
        if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
    } else if (name == "retry") {
        int64_t ms = 0;
        const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
        if (all_ascii_digits(value) && ec == std::errc() && ptr == value.data() + value.size()) {
            retry_ms_ = ms;
        }
    }
    // Any other field name is ignored, as the standard requires.
}

void SseParser::dispatch(const std::function<void(SseEvent &&)> &on_event) {
    if (data_.empty()) {  // no "data:" line: nothing to dispatch
        type_.clear();
        return;
    }
    data_.pop_back();  // the '\n' after the last line
    SseEvent event;
    if (!type_.empty()) event.type = std::move(type_);
    event.data = std::move(data_);
    event.id = last_id_;
    data_.clear();
    type_.clear();
    on_event(std::move(event));
}

void SseParser::fail() {
    failed_ = true;
    // Release what the oversized input made us hold.
    std::string().swap(line_);
    std::string().swap(data_);
    type_.clear();
}

}  // namespace elizacloud
