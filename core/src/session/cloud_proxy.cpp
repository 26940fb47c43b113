#include "session/cloud_proxy.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "net/io_wait.hpp"
#include "util/json.hpp"
#include "util/json_scan.hpp"

namespace elizacloud {

struct CloudRuntimeProxy::Calls {
    std::mutex mutex;
    bool closed = false;
    uint64_t next_key = 1;
    // key → operation id; 0 while the operation is being started (its id not known yet).
    std::unordered_map<uint64_t, OperationId> live;
};

namespace {

// Agent record → {"state","agentName"} (R143: the cloud's status and name).
OpResult status_of(OpResult &&result) {
    if (!result.error.ok()) return std::move(result);
    json::Document doc;
    if (!json::parse(result.json, doc) || !doc.IsObject()) {
        return OpResult{ErrorInfo::make(Status::Protocol, "Agent record is not a JSON object"), {}};
    }
    auto state = json::get_string(doc, "status");
    auto name = json::get_string(doc, "agentName");
    if (!name) name = json::get_string(doc, "name");
    result.json = "{\"state\":" + json::quote(state.value_or("")) +
                  ",\"agentName\":" + json::quote(name.value_or("")) + "}";
    return std::move(result);
}

}  // namespace

std::shared_ptr<CloudRuntimeProxy> CloudRuntimeProxy::create(std::shared_ptr<Engine> engine,
                                                             std::shared_ptr<AgentOps> ops,
                                                             std::string agent_id,
                                                             std::string agent_name) {
    return std::shared_ptr<CloudRuntimeProxy>(new CloudRuntimeProxy(
        std::move(engine), std::move(ops), std::move(agent_id), std::move(agent_name)));
}

CloudRuntimeProxy::CloudRuntimeProxy(std::shared_ptr<Engine> engine, std::shared_ptr<AgentOps> ops,
                                     std::string agent_id, std::string agent_name)
    : engine_(std::move(engine)),
      ops_(std::move(ops)),
      agent_id_(std::move(agent_id)),
      agent_name_(std::move(agent_name)),
      calls_(std::make_shared<Calls>()) {}

CloudRuntimeProxy::~CloudRuntimeProxy() {
    close();
}

void CloudRuntimeProxy::close() {
    std::vector<OperationId> ids;
    {
        std::lock_guard<std::mutex> lock(calls_->mutex);
        calls_->closed = true;
        for (auto &[key, id] : calls_->live) {
            if (id != 0) ids.push_back(id);  // the others are cancelled by their starter
        }
    }
    for (OperationId id : ids) ops_->cancel(id);
}

bool CloudRuntimeProxy::is_closed() const {
    std::lock_guard<std::mutex> lock(calls_->mutex);
    return calls_->closed;
}

OperationId CloudRuntimeProxy::track(const std::function<OperationId(OpCallback)> &start,
                                     OpCallback done) {
    uint64_t key;
    {
        std::lock_guard<std::mutex> lock(calls_->mutex);
        if (calls_->closed) {
            throw Error(Status::NotConnected, "Not connected to cloud agent " + agent_id_);
        }
        key = calls_->next_key++;
        calls_->live.emplace(key, 0);
    }
    auto calls = calls_;
    OperationId id = 0;
    try {
        id = start([calls, key, done = std::move(done)](OpResult &&result) {
            {
                std::lock_guard<std::mutex> lock(calls->mutex);
                calls->live.erase(key);
            }
            if (done) done(std::move(result));
        });
    } catch (...) {  // refused locally (e.g. an unknown channel type): nothing to track
        std::lock_guard<std::mutex> lock(calls_->mutex);
        calls_->live.erase(key);
        throw;
    }
    bool closed_meanwhile = false;
    {
        std::lock_guard<std::mutex> lock(calls_->mutex);
        auto it = calls_->live.find(key);
        if (it != calls_->live.end()) {
            it->second = id;
            closed_meanwhile = calls_->closed;
        }
    }
    if (closed_meanwhile) ops_->cancel(id);
    return id;
}

OperationId CloudRuntimeProxy::send_async(const std::string &text, OpCallback done,
                                          ChatTarget target) {
    return track([&](OpCallback cb) { return ops_->send(agent_id_, text, target, std::move(cb)); },
                 std::move(done));
}

OperationId CloudRuntimeProxy::stream_async(const std::string &text, ChunkCallback on_chunk,
                                            OpCallback done, ChatTarget target) {
    return track(
        [&](OpCallback cb) {
            return ops_->stream(agent_id_, text, target, std::move(on_chunk), std::move(cb));
        },
        std::move(done));
}

OperationId CloudRuntimeProxy::status_async(OpCallback done) {
    return track(
        [&](OpCallback cb) {
            return ops_->get_agent(
                agent_id_, [cb = std::move(cb)](OpResult &&r) { cb(status_of(std::move(r))); });
        },
        std::move(done));
}

OperationId CloudRuntimeProxy::is_alive_async(OpCallback done) {
    return track([&](OpCallback cb) { return ops_->heartbeat(agent_id_, std::move(cb)); },
                 std::move(done));
}

void CloudRuntimeProxy::cancel(OperationId id) {
    bool ours = false;
    {
        std::lock_guard<std::mutex> lock(calls_->mutex);
        for (auto &[key, live_id] : calls_->live) ours = ours || live_id == id;
    }
    if (ours) ops_->cancel(id);
}

std::string CloudRuntimeProxy::wait(const std::function<OperationId(OpCallback)> &start,
                                    int64_t wait_ms) {
    refuse_on_io_thread(*engine_, "CloudRuntimeProxy");
    Waiter<OpResult> waiter;
    OperationId id = start(waiter.setter());
    auto result = waiter.wait(wait_ms);
    if (!result) {
        ops_->cancel(id);
        throw Error(Status::Timeout, "Timed out after " + std::to_string(wait_ms) + "ms");
    }
    if (!result->error.ok()) throw Error(std::move(result->error));
    return std::move(result->json);
}

std::string CloudRuntimeProxy::send(const std::string &text, ChatTarget target, int64_t wait_ms) {
    std::string reply =
        wait([&](OpCallback cb) { return send_async(text, std::move(cb), target); }, wait_ms);
    return json::top_level_string(reply, "text").value_or("");
}

AgentStatus CloudRuntimeProxy::status(int64_t wait_ms) {
    AgentStatus status;
    status.json = wait([&](OpCallback cb) { return status_async(std::move(cb)); }, wait_ms);
    json::Document doc;
    json::parse(status.json, doc);
    status.state = json::get_string(doc, "state").value_or("");
    status.agent_name = json::get_string(doc, "agentName").value_or("");
    return status;
}

bool CloudRuntimeProxy::is_alive(int64_t wait_ms) {
    try {
        wait([&](OpCallback cb) { return is_alive_async(std::move(cb)); }, wait_ms);
        return true;
    } catch (const Error &e) {
        if (e.status() == Status::Reentrant || e.status() == Status::NotConnected) throw;
        return false;
    }
}

std::string CloudRuntimeProxy::stream(const std::string &text, const ChunkCallback &on_chunk,
                                      ChatTarget target, int64_t wait_ms) {
    refuse_on_io_thread(*engine_, "CloudRuntimeProxy::stream");
    // Chunks cross from the I/O thread to this one through a small queue, so the host's
    // callback runs here and can take its time without stalling the engine.
    struct Channel {
        std::mutex mutex;
        std::condition_variable changed;
        std::deque<std::string> chunks;
        std::optional<OpResult> end;
    };
    auto channel = std::make_shared<Channel>();
    OperationId id = stream_async(
        text,
        [channel](std::string_view chunk) {
            std::lock_guard<std::mutex> lock(channel->mutex);
            channel->chunks.emplace_back(chunk);
            channel->changed.notify_all();
        },
        [channel](OpResult &&result) {
            std::lock_guard<std::mutex> lock(channel->mutex);
            channel->end.emplace(std::move(result));
            channel->changed.notify_all();
        },
        std::move(target));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    std::string whole;
    while (true) {
        std::deque<std::string> batch;
        std::optional<OpResult> end;
        {
            std::unique_lock<std::mutex> lock(channel->mutex);
            auto ready = [&] { return !channel->chunks.empty() || channel->end.has_value(); };
            if (wait_ms < 0) {
                channel->changed.wait(lock, ready);
            } else if (!channel->changed.wait_until(lock, deadline, ready)) {
                lock.unlock();
                ops_->cancel(id);
                throw Error(Status::Timeout, "Timed out after " + std::to_string(wait_ms) + "ms");
            }
            batch.swap(channel->chunks);
            if (batch.empty()) end = std::move(channel->end);
        }
        for (auto &chunk : batch) {
            whole += chunk;
            if (on_chunk) {
                try {
                    on_chunk(chunk);
                } catch (...) {
                    ops_->cancel(id);
                    throw;
                }
            }
        }
        if (end) {
            if (!end->error.ok()) throw Error(std::move(end->error));
            return whole;
        }
    }
}

}  // namespace elizacloud
