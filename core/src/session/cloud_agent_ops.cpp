#include "session/cloud_agent_ops.hpp"

#include <algorithm>
#include <utility>

#include "session/client_agent_ops.hpp"

namespace elizacloud {
std::shared_ptr<AgentOps> make_client_agent_ops(std::shared_ptr<CloudClient> client) {
    return std::make_shared<ClientAgentOps>(std::move(client));
}

std::shared_ptr<AgentOps> AccountAgentOps::use() {
    auto ops = current_();
    std::lock_guard<std::mutex> lock(mutex_);
    used_.erase(std::remove_if(used_.begin(), used_.end(),
                               [](const std::weak_ptr<AgentOps> &w) { return w.expired(); }),
                used_.end());
    const bool known =
        std::any_of(used_.begin(), used_.end(),
                    [&](const std::weak_ptr<AgentOps> &w) { return w.lock() == ops; });
    if (!known) used_.push_back(ops);
    return ops;
}

OperationId AccountAgentOps::provision(const std::string &agent_id, OpCallback done,
                                       ProvisionProgressCallback progress) {
    return use()->provision(agent_id, std::move(done), std::move(progress));
}
OperationId AccountAgentOps::get_agent(const std::string &agent_id, OpCallback done) {
    return use()->get_agent(agent_id, std::move(done));
}
OperationId AccountAgentOps::snapshot(const std::string &agent_id, OpCallback done) {
    return use()->snapshot(agent_id, std::move(done));
}
OperationId AccountAgentOps::list_backups(const std::string &agent_id, OpCallback done) {
    return use()->list_backups(agent_id, std::move(done));
}
OperationId AccountAgentOps::restore(const std::string &agent_id, const std::string &backup_id,
                                     OpCallback done) {
    return use()->restore(agent_id, backup_id, std::move(done));
}
OperationId AccountAgentOps::heartbeat(const std::string &agent_id, OpCallback done) {
    return use()->heartbeat(agent_id, std::move(done));
}
OperationId AccountAgentOps::send(const std::string &agent_id, const std::string &text,
                                  const ChatTarget &target, OpCallback done) {
    return use()->send(agent_id, text, target, std::move(done));
}
OperationId AccountAgentOps::stream(const std::string &agent_id, const std::string &text,
                                    const ChatTarget &target, StreamChunkCallback on_chunk,
                                    OpCallback done) {
    return use()->stream(agent_id, text, target, std::move(on_chunk), std::move(done));
}
OperationId AccountAgentOps::status(const std::string &agent_id, OpCallback done) {
    return use()->status(agent_id, std::move(done));
}

void AccountAgentOps::cancel(OperationId id) {
    std::vector<std::shared_ptr<AgentOps>> targets;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto &w : used_)
            if (auto ops = w.lock()) targets.push_back(std::move(ops));
    }
    for (const auto &ops : targets) ops->cancel(id);
}

}  // namespace elizacloud
