// The narrow view of the cloud that the orchestration layer (CloudManager, CloudRuntimeProxy,
// BackupScheduler, ConnectionMonitor) needs. Keeping it this small lets the state machines be
// tested with a fake in virtual time; the real one is the CloudClient itself.
//
// Contract for every operation:
//  - callable from any thread; returns an id at once (never 0);
//  - its callback runs exactly once, on the engine's I/O thread, never inline in the call;
//  - cancel(id) makes a pending operation complete with Status::Cancelled (unknown or finished
//    ids are ignored), so callers can rely on that one callback to release what they hold;
//  - arguments refused locally (an agent id that is not a UUID, an unknown channel type) throw
//    Error(InvalidArgument) from the call itself; nothing is started then.
// Request timeouts (send 60 s, heartbeat 10 s, stream idle 120 s, job following 300 s) belong
// to the implementation (the client's options), not to each call.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "net/operation.hpp"  // OperationId, OpResult {error, json}, OpCallback

namespace elizacloud {

// Provisioning job progress: job id, status ("pending", "in_progress"...), polls made so far.
struct JobProgress {
    std::string agent_id;
    std::string job_id;
    std::string status;  // pending | in_progress | completed | failed (as the cloud says)
    int polls = 0;       // job polls made so far
};
using ProgressCallback = std::function<void(const JobProgress &)>;
// One streamed chunk of reply text, in order, on the I/O thread.
using ChunkCallback = std::function<void(std::string_view text)>;

// Where a bridge message goes. Channel types: DM, GROUP, VOICE_DM, VOICE_GROUP, API.
struct ChatTarget {
    std::string room_id = "web-chat";
    std::string channel_type = "DM";
};

class AgentOps {
public:
    virtual ~AgentOps() = default;

    // Provisions the agent and follows the provisioning job until the agent runs (or the job
    // fails: the error carries the job's message). json = the agent record afterwards.
    virtual OperationId provision(const std::string &agent_id, OpCallback done,
                                  ProgressCallback progress = {}) = 0;
    // json = the agent record (agentName or name, status, ...).
    virtual OperationId get_agent(const std::string &agent_id, OpCallback done) = 0;
    // json = the snapshot record {id, snapshotType, sizeBytes, createdAt}.
    virtual OperationId snapshot(const std::string &agent_id, OpCallback done) = 0;
    // json = the backups array.
    virtual OperationId list_backups(const std::string &agent_id, OpCallback done) = 0;
    // backup_id empty = the latest backup. json = the cloud's answer.
    virtual OperationId restore(const std::string &agent_id, const std::string &backup_id,
                                OpCallback done) = 0;
    // Completes Ok iff the agent acknowledged the heartbeat; otherwise the error says why.
    virtual OperationId heartbeat(const std::string &agent_id, OpCallback done) = 0;
    // Bridge message.send; json = {"text": the reply} and nothing else of the JSON-RPC result,
    // "(no response)" when the agent sent no text (R125).
    virtual OperationId send(const std::string &agent_id, const std::string &text,
                             const ChatTarget &target, OpCallback done) = 0;
    // Bridge stream: on_chunk gets each chunk's text in order, then done runs once.
    virtual OperationId stream(const std::string &agent_id, const std::string &text,
                               const ChatTarget &target, ChunkCallback on_chunk,
                               OpCallback done) = 0;
    // Bridge status.get; json = the runtime's status result.
    virtual OperationId status(const std::string &agent_id, OpCallback done) = 0;

    virtual void cancel(OperationId id) = 0;
};

}  // namespace elizacloud
