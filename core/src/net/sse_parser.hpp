// Incremental parser for text/event-stream bodies (WHATWG HTML "Server-sent events", §9.2.6).
// It works on raw bytes, so UTF-8 sequences split across network reads need no decoder state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace elizacloud {

struct SseEvent {
    std::string type = "message";  // "event:" field, "message" when absent or empty
    std::string data;              // "data:" lines joined with '\n'
    std::string id;                // last event id seen on the stream (it persists across events)
};

class SseParser {
public:
    // max_line_bytes bounds one line and also the joined data of one event, so a hostile stream
    // cannot grow memory without limit.
    explicit SseParser(size_t max_line_bytes = 1024 * 1024);

    // Feed raw bytes as they arrive; calls on_event for each complete event, in order.
    // Returns false once a line exceeded max_line_bytes (the parser then ignores further input).
    // An exception thrown by on_event propagates; the rest of that chunk is then not parsed.
    bool feed(std::string_view bytes, const std::function<void(SseEvent &&)> &on_event);

    // End of stream: dispatches a final event that was not followed by a blank line. The parser
    // is then at the start of a new stream (for a reconnect), keeping the last event id and the
    // retry value as EventSource does.
    void finish(const std::function<void(SseEvent &&)> &on_event);

    // Last "retry:" value seen, -1 if none.
    int64_t retry_ms() const { return retry_ms_; }
    // Last event id seen ("id:" field), empty if none.
    const std::string &last_event_id() const { return last_id_; }

private:
    std::string_view strip_bom(std::string_view bytes);
    bool append_to_line(std::string_view bytes);
    void process_line(const std::function<void(SseEvent &&)> &on_event);
    void process_field(std::string_view name, std::string_view value);
    void dispatch(const std::function<void(SseEvent &&)> &on_event);
    void fail();

    size_t max_line_bytes_;
    std::string line_;     // the current, unterminated line
    std::string data_;     // data buffer of the event being built, each line + '\n'
    std::string type_;     // event type buffer
    std::string last_id_;  // last event id buffer
    int64_t retry_ms_ = -1;
    size_t bom_matched_ = 0;   // bytes of a leading UTF-8 BOM matched so far
    bool bom_done_ = false;    // the start of the stream has been checked for a BOM
    bool pending_cr_ = false;  // the last line ended in '\r': a '\n' right after it is part of it
    bool failed_ = false;
};

}  // namespace elizacloud
