#include "session/client_agent_ops.hpp"

#include <utility>

namespace elizacloud {

namespace {

MessageOptions message_options(const ChatTarget &target) {
    MessageOptions options;
    options.room_id = target.room_id;
    options.channel_type = target.channel_type;
    return options;
}

}  // namespace

ClientAgentOps::ClientAgentOps(std::shared_ptr<CloudClient> client) : client_(std::move(client)) {}

OperationId ClientAgentOps::provision(const std::string &agent_id, OpCallback done,
                                      ProvisionProgressCallback progress) {
    ProgressCallback forward;
    if (progress) {
        forward = [progress = std::move(progress)](const JobProgress &p) {
            progress(ProvisionProgress{p.job_id, p.status, p.polls});
        };
    }
    return client_->provision_async(agent_id, std::move(done), std::move(forward));
}

OperationId ClientAgentOps::get_agent(const std::string &agent_id, OpCallback done) {
    return client_->get_agent_async(agent_id, std::move(done));
}

OperationId ClientAgentOps::snapshot(const std::string &agent_id, OpCallback done) {
    return client_->snapshot_async(agent_id, std::move(done));
}

OperationId ClientAgentOps::list_backups(const std::string &agent_id, OpCallback done) {
    return client_->list_backups_async(agent_id, std::move(done));
}

OperationId ClientAgentOps::restore(const std::string &agent_id, const std::string &backup_id,
                                    OpCallback done) {
    return client_->restore_async(agent_id, backup_id, std::move(done));
}

OperationId ClientAgentOps::heartbeat(const std::string &agent_id, OpCallback done) {
    return client_->heartbeat_async(agent_id, std::move(done));
}

OperationId ClientAgentOps::send(const std::string &agent_id, const std::string &text,
                                 const ChatTarget &target, OpCallback done) {
    return client_->send_message_async(agent_id, text, message_options(target), std::move(done));
}

OperationId ClientAgentOps::stream(const std::string &agent_id, const std::string &text,
                                   const ChatTarget &target, StreamChunkCallback on_chunk,
                                   OpCallback done) {
    return client_->stream_async(agent_id, text, message_options(target), std::move(on_chunk),
                                 std::move(done));
}

OperationId ClientAgentOps::status(const std::string &agent_id, OpCallback done) {
    return client_->get_status_async(agent_id, std::move(done));
}

void ClientAgentOps::cancel(OperationId id) {
    client_->cancel(id);
}

}  // namespace elizacloud
