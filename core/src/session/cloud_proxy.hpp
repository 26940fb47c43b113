// CloudRuntimeProxy (SPEC §2.4, R140–R144): routes chat to one connected cloud agent.
// send → the reply text; stream → chunk texts in order, cancellable; status → {state,
// agentName} from a fresh agent record; is_alive → heartbeat. Request timeouts (send 60 s,
// stream idle 120 s, heartbeat 10 s) are the AgentOps implementation's.
//
// The proxy holds no state but its identity and the calls it has in flight, so its methods run
// on the caller's thread; completions run on the engine's I/O thread. When the manager
// disconnects it closes the proxy: calls in flight complete Cancelled and later calls fail with
// NotConnected, so a host holding an old proxy cannot talk to an agent it left.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/agent_ops.hpp"
#include "net/engine.hpp"

namespace elizacloud {

struct AgentStatus {
    std::string state;       // the cloud agent's status ("running", "stopped"...)
    std::string agent_name;  // the cloud agent's name
    std::string json;        // {"state":…,"agentName":…}
};

class CloudRuntimeProxy : public std::enable_shared_from_this<CloudRuntimeProxy> {
public:
    static std::shared_ptr<CloudRuntimeProxy> create(std::shared_ptr<Engine> engine,
                                                     std::shared_ptr<AgentOps> ops,
                                                     std::string agent_id, std::string agent_name);
    // Same as close().
    ~CloudRuntimeProxy();
    CloudRuntimeProxy(const CloudRuntimeProxy &) = delete;
    CloudRuntimeProxy &operator=(const CloudRuntimeProxy &) = delete;

    const std::string &agent_id() const { return agent_id_; }
    const std::string &agent_name() const { return agent_name_; }

    // ---- asynchronous forms [any thread]; done runs once on the I/O thread ----
    // json = {"text": reply}.
    OperationId send_async(const std::string &text, OpCallback done, ChatTarget target = {});
    // on_chunk gets each chunk text in order (I/O thread); done gets {"text": all chunks}.
    OperationId stream_async(const std::string &text, ChunkCallback on_chunk, OpCallback done,
                             ChatTarget target = {});
    // json = {"state","agentName"}.
    OperationId status_async(OpCallback done);
    // done gets Ok when alive, else the reason (never a different outcome for "dead").
    OperationId is_alive_async(OpCallback done);
    // Cancels a call of this proxy (it completes Cancelled).
    void cancel(OperationId id);

    // ---- synchronous forms [not on the I/O thread]; throw Error ----
    std::string send(const std::string &text, ChatTarget target = {}, int64_t wait_ms = -1);
    // on_chunk runs on the calling thread, in order, while the stream is open; an exception it
    // throws cancels the stream and propagates. Returns the whole reply.
    std::string stream(const std::string &text, const ChunkCallback &on_chunk,
                       ChatTarget target = {}, int64_t wait_ms = -1);
    AgentStatus status(int64_t wait_ms = -1);
    // false for any failure (as R144: a rejected heartbeat is "not alive").
    bool is_alive(int64_t wait_ms = -1);

    // [any thread] Cancels every call in flight; later calls fail with NotConnected.
    void close();
    bool is_closed() const;

private:
    struct Calls;  // the calls in flight, shared with their completions
    CloudRuntimeProxy(std::shared_ptr<Engine> engine, std::shared_ptr<AgentOps> ops,
                      std::string agent_id, std::string agent_name);
    // Starts an operation through start(wrapped_done) and tracks it until it completes.
    OperationId track(const std::function<OperationId(OpCallback)> &start, OpCallback done);
    std::string wait(const std::function<OperationId(OpCallback)> &start, int64_t wait_ms);

    const std::shared_ptr<Engine> engine_;
    const std::shared_ptr<AgentOps> ops_;
    const std::string agent_id_;
    const std::string agent_name_;
    const std::shared_ptr<Calls> calls_;
};

}  // namespace elizacloud
