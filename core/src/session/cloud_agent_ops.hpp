// The AgentOps a Cloud gives its CloudManager. The manager keeps the object it gets at creation
// for its whole life, but the account's key (and so its CloudClient) changes with login and
// logout; AccountAgentOps forwards every call to the client current at that moment.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/cloud_client.hpp"
#include "session/agent_ops.hpp"

namespace elizacloud {

// CloudClient seen as AgentOps (ClientAgentOps).
std::shared_ptr<AgentOps> make_client_agent_ops(std::shared_ptr<CloudClient> client);

class AccountAgentOps final : public AgentOps {
public:
    // current() returns the account's AgentOps or throws (NotConnected without a key).
    explicit AccountAgentOps(std::function<std::shared_ptr<AgentOps>()> current)
        : current_(std::move(current)) {}

    OperationId provision(const std::string &agent_id, OpCallback done,
                          ProvisionProgressCallback progress) override;
    OperationId get_agent(const std::string &agent_id, OpCallback done) override;
    OperationId snapshot(const std::string &agent_id, OpCallback done) override;
    OperationId list_backups(const std::string &agent_id, OpCallback done) override;
    OperationId restore(const std::string &agent_id, const std::string &backup_id,
                        OpCallback done) override;
    OperationId heartbeat(const std::string &agent_id, OpCallback done) override;
    OperationId send(const std::string &agent_id, const std::string &text, const ChatTarget &target,
                     OpCallback done) override;
    OperationId stream(const std::string &agent_id, const std::string &text,
                       const ChatTarget &target, StreamChunkCallback on_chunk,
                       OpCallback done) override;
    OperationId status(const std::string &agent_id, OpCallback done) override;
    // Operation ids are unique process-wide, so a cancel is offered to every client an
    // operation may have started on.
    void cancel(OperationId id) override;

private:
    std::shared_ptr<AgentOps> use();

    std::function<std::shared_ptr<AgentOps>()> current_;
    std::mutex mutex_;
    std::vector<std::weak_ptr<AgentOps>> used_;
};

}  // namespace elizacloud
