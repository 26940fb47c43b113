#include "rest/rest_events.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "handle/cloud.hpp"
#include "rest/rest_errors.hpp"
#include "util/json.hpp"

namespace elizacloud {
namespace {

json::Value text_or_null(const std::string &text, json::Document::AllocatorType &alloc) {
    return text.empty() ? json::Value() : json::string_value(text, alloc);
}

// A provisioning job's status while a provision/connect (or a reconnect) follows it.
std::string progress_frame(const Event &event) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "agentId", text_or_null(event.agent_id, alloc), alloc);
    json::set(doc, "status", json::string_value(event.text, alloc), alloc);
    return sse_frame("progress", doc);
}

// A backup taken or failed (scheduled, manual or final). The failure in our words.
std::string backup_frame(const Event &event) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "agentId", text_or_null(event.agent_id, alloc), alloc);
    const bool ok = event.type == EC_EVENT_BACKUP_DONE;
    json::set(doc, "ok", json::Value(ok), alloc);
    if (ok) {
        json::Document record;
        const auto id =
            json::parse(event.json, record) ? json::get_string(record, "backupId") : std::nullopt;
        json::set(doc, "backupId", id ? json::string_value(*id, alloc) : json::Value(), alloc);
    } else {
        json::set(doc, "error", json::string_value(rest_error(event.status).message, alloc), alloc);
    }
    return sse_frame("backup", doc);
}

}  // namespace

std::string sse_frame(std::string_view event, const json::Document &data) {
    return "event: " + std::string(event) + "\ndata: " + json::stringify(data) + "\n\n";
}

const char *rest_state_name(int32_t state) {
    switch (state) {
        case EC_STATE_CONNECTING:
            return "connecting";
        case EC_STATE_CONNECTED:
            return "connected";
        case EC_STATE_RECONNECTING:
            return "reconnecting";
        case EC_STATE_ERROR:
            return "error";
        default:
            return "disconnected";
    }
}

std::string state_frame(const Event &event) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "state", json::string_value(rest_state_name(event.state), alloc), alloc);
    json::set(doc, "previousState",
              json::string_value(rest_state_name(event.previous_state), alloc), alloc);
    json::set(doc, "agentId", text_or_null(event.agent_id, alloc), alloc);
    // Our words for the kind of failure, not the failure's own text (it may quote the cloud).
    json::set(doc, "reason",
              event.status == Status::Ok
                  ? json::Value()
                  : json::string_value(rest_error(event.status).message, alloc),
              alloc);
    json::set(doc, "attempt", json::Value(event.attempt), alloc);
    json::set(doc, "nextDelayMs",
              event.next_delay_ms < 0 ? json::Value()
                                      : json::Value(static_cast<int64_t>(event.next_delay_ms)),
              alloc);
    return sse_frame("state", doc);
}

// ---- RestStream ---------------------------------------------------------------------------------

RestStream::RestStream(std::string initial) : pending_(std::move(initial)) {}

std::optional<std::string> RestStream::read(int64_t timeout_ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto ready = [this] { return !pending_.empty() || closed_; };
    if (timeout_ms < 0) {
        ready_.wait(lock, ready);
    } else {
        ready_.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready);
    }
    if (!pending_.empty()) return std::exchange(pending_, std::string());
    if (closed_) return std::nullopt;
    return std::string();
}

void RestStream::push(const std::string &frame) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closed_) return;
        if (pending_.size() + frame.size() > kMaxPendingBytes) {
            closed_ = true;  // the reader stopped reading; what it has is still delivered
        } else {
            pending_ += frame;
        }
    }
    notify();
}

void RestStream::close() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
    }
    notify();
}

bool RestStream::closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
}

bool RestStream::ready() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_ || !pending_.empty();
}

void RestStream::set_listener(std::function<void()> listener) {
    std::lock_guard<std::mutex> lock(mutex_);
    listener_ = std::move(listener);
}

void RestStream::notify() {
    ready_.notify_all();
    std::function<void()> listener;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        listener = listener_;
    }
    if (listener) listener();
}

// ---- RestEvents ---------------------------------------------------------------------------------

RestEvents::RestEvents(Cloud &cloud, size_t max_streams)
    : cloud_(cloud), max_streams_(max_streams) {
    tap_ = cloud_.events().add_tap([this](const Event &event) { on_event(event); });
}

RestEvents::~RestEvents() {
    cloud_.events().remove_tap(tap_);
    close_all();
}

std::shared_ptr<RestStream> RestEvents::subscribe() {
    // Under the lock: a state change lands either before the snapshot (and shows in it) or
    // after the stream is registered (and is delivered), never in between.
    std::lock_guard<std::mutex> lock(mutex_);
    std::erase_if(streams_, [](const std::weak_ptr<RestStream> &weak) {
        auto s = weak.lock();
        return !s || s->closed();
    });
    if (streams_.size() >= max_streams_) return nullptr;
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "state", json::string_value(rest_state_name(cloud_.state()), alloc), alloc);
    std::string agent;
    try {
        agent = cloud_.active_agent();
    } catch (const Error &) {  // no active agent
    }
    json::set(doc, "agentId", text_or_null(agent, alloc), alloc);
    auto stream = std::make_shared<RestStream>(
        ": elizacloud connection-state events\nretry: 3000\n\n" + sse_frame("snapshot", doc));
    streams_.push_back(stream);
    return stream;
}

void RestEvents::close_all() {
    std::vector<std::weak_ptr<RestStream>> streams;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        streams.swap(streams_);
    }
    for (auto &weak : streams)
        if (auto s = weak.lock()) s->close();
}

void RestEvents::on_event(const Event &event) {
    std::string text;
    switch (event.type) {
        case EC_EVENT_STATE_CHANGED:
            text = state_frame(event);
            break;
        case EC_EVENT_PROVISION_PROGRESS:
            text = progress_frame(event);
            break;
        case EC_EVENT_BACKUP_DONE:
        case EC_EVENT_BACKUP_FAILED:
            text = backup_frame(event);
            break;
        default:
            return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto &weak : streams_)
        if (auto s = weak.lock()) s->push(text);
}

}  // namespace elizacloud
