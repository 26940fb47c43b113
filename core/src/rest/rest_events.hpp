// GET /api/cloud/events (SPEC §3, gap G21): connection-state changes as Server-Sent Events.
// RestEvents taps the cloud's events and fans each STATE_CHANGED out, already framed as
//   event: state
//   data: {"state","previousState","agentId","reason","attempt","nextDelayMs"}
// to every open RestStream, with provisioning progress (event "progress": {"agentId","status"})
// and backups (event "backup": {"agentId","ok","backupId"|"error"}). Streams are pulled (by the
// HTTP server's connection thread or by a host through ec_rest_response_read), never pushed to, so
// no library thread waits on a client.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handle/event_queue.hpp"
#include "util/json.hpp"

namespace elizacloud {

class Cloud;

// One subscriber's pending frames.
class RestStream {
public:
    // A stream that falls this far behind is closed: one slow client cannot hold memory.
    static constexpr size_t kMaxPendingBytes = 256 * 1024;

    explicit RestStream(std::string initial = {});

    // The frames that arrived since the last read, waiting up to timeout_ms (< 0 = forever) for
    // some; "" when none came in time (the caller may send a keep-alive comment); nullopt once
    // the stream is closed and everything before the close was read.
    std::optional<std::string> read(int64_t timeout_ms);
    void push(const std::string &frame);
    void close();
    bool closed() const;
    // Frames are pending or the stream is closed: read(0) would not answer "".
    bool ready() const;
    // Called after every push and at close, outside the stream's lock: a server that waits on
    // many streams with one thread learns when to look at this one.
    void set_listener(std::function<void()> listener);

private:
    void notify();

    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::string pending_;
    bool closed_ = false;
    std::function<void()> listener_;
};

class RestEvents {
public:
    explicit RestEvents(Cloud &cloud, size_t max_streams = 16);
    // Stops observing the cloud and closes every stream.
    ~RestEvents();
    RestEvents(const RestEvents &) = delete;
    RestEvents &operator=(const RestEvents &) = delete;

    // A new stream whose first frames are a comment, the reconnection delay and a snapshot of the
    // current state (event "snapshot"); nullptr when max_streams are already open.
    std::shared_ptr<RestStream> subscribe();
    // Closes every stream (server shutdown); later subscriptions still work.
    void close_all();

private:
    void on_event(const Event &event);

    Cloud &cloud_;
    const size_t max_streams_;
    std::mutex mutex_;
    std::vector<std::weak_ptr<RestStream>> streams_;
    uint64_t tap_ = 0;
};

// "connecting", "connected"... for an EC_STATE_* value.
const char *rest_state_name(int32_t state);
// The SSE frame of one STATE_CHANGED event.
std::string state_frame(const Event &event);
// "event: <event>\ndata: <data as JSON>\n\n".
std::string sse_frame(std::string_view event, const json::Document &data);

}  // namespace elizacloud
