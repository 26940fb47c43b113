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

// The eliza generation's dedicated-price consent (E§2.4.1): the acceptance value of the price the
// user was shown (PriceConfirmationError's pricing.acceptanceValue). Never sent unless given here
// or by the handle's dedicated_price option.
inline constexpr ParamSpec kConfirmPrice{
    .name = "confirmPrice",
    .type = ParamType::String,
    .in = ParamIn::Header,
    .arg = "confirm_price",
    .min_length = 1,
    .max_length = 256,
    .doc =
        "the dedicated price the user accepted (pricing.acceptanceValue of a "
        "PriceConfirmation error)",
    .header = "X-Eliza-Dedicated-Price"};

// The {id} of the breadth areas' records (apps, containers, voices, documents, API keys).
inline constexpr ParamSpec kIdInPath{.name = "id",
                                     .type = ParamType::Uuid,
                                     .in = ParamIn::Path,
                                     .required = true,
                                     .doc = "the record's id"};

inline constexpr std::string_view kChannelTypes = "DM|GROUP|VOICE_DM|VOICE_GROUP|API";

}  // namespace elizacloud::api
