// The status and credits records of SPEC §2.7 / seed 000, as pure functions of what the facade
// knows, so the C ABI and the local REST API answer with the same bytes.
#pragma once

#include <optional>
#include <string>

namespace elizacloud {

// The four reasons of seed 001 for a status that is not connected.
inline constexpr const char *kReasonNotAuthenticated = "not_authenticated";
inline constexpr const char *kReasonRuntimeNotStarted = "runtime_not_started";
inline constexpr const char *kReasonKeyNotAuthenticated = "api_key_present_not_authenticated";
inline constexpr const char *kReasonKeyRuntimeNotStarted = "api_key_present_runtime_not_started";

struct StatusFacts {
    bool has_api_key = false;
    bool enabled = false;          // effective cloud.enabled (R92)
    bool runtime_started = false;  // a CloudManager exists (a connect was ever made)
    // Set when the cloud accepted the key (GET /api/v1/user answered): "connected".
    std::optional<std::string> user_id;
    std::string organization_id;  // may be empty when the key has no organization
    std::string top_up_url;
    std::string api_generation;  // "milady" / "eliza"; "" while not yet detected
    // The API origin that issued the stored key when it is another cloud than the handle's (the
    // key is then not sent, and status is not connected); "" otherwise.
    std::string foreign_key_origin;
};

// {connected, enabled, hasApiKey, userId?, organizationId?, topUpUrl, apiGeneration, reason?,
//  apiKeyBaseUrl? (only for a key issued by another cloud)}
std::string status_json(const StatusFacts &facts);

// Low below $2.00 and critical below $0.50, both strict (R108).
inline bool credits_low(double balance) {
    return balance < 2.0;
}
inline bool credits_critical(double balance) {
    return balance < 0.5;
}

// {connected, balance|null, low, critical, topUpUrl}; balance nullopt gives null, low and
// critical false.
std::string credits_json(bool connected, std::optional<double> balance,
                         const std::string &top_up_url);

}  // namespace elizacloud
