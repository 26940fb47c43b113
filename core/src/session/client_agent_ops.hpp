// AgentOps over the real CloudClient: the orchestration layer's view of the cloud, mapped onto
// the client's asynchronous operations (which already follow provisioning jobs, time out and
// complete on the engine's I/O thread).
#pragma once

#include <memory>

#include "api/cloud_client.hpp"
#include "session/agent_ops.hpp"

namespace elizacloud {

class ClientAgentOps final : public AgentOps {
public:
    explicit ClientAgentOps(std::shared_ptr<CloudClient> client);

    const std::shared_ptr<CloudClient> &client() const { return client_; }

    OperationId provision(const std::string &agent_id, OpCallback done,
                          ProvisionProgressCallback progress = {}) override;
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
    void cancel(OperationId id) override;

private:
    std::shared_ptr<CloudClient> client_;
};

}  // namespace elizacloud
