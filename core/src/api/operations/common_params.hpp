// Parameters that many rows share.
#pragma once

#include "api/operation_spec.hpp"

namespace elizacloud::api {

inline constexpr ParamSpec kAgentIdInPath{.name = "agentId",
                                          .type = ParamType::Uuid,
                                          .in = ParamIn::Path,
                                          .required = true,
                                          .doc = "the agent's id"};

// Backups act on the connected agent unless another one is named.
inline constexpr ParamSpec kAgentIdOrConnected{
    .name = "agentId",
    .type = ParamType::Uuid,
    .in = ParamIn::Path,
    .required = false,
    .doc = "the agent's id (default: the connected agent)"};

inline constexpr std::string_view kChannelTypes = "DM|GROUP|VOICE_DM|VOICE_GROUP|API";

}  // namespace elizacloud::api
