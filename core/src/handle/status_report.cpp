#include "handle/status_report.hpp"

#include "util/json.hpp"

namespace elizacloud {

std::string status_json(const StatusFacts &facts) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    const bool connected = facts.user_id.has_value();
    json::set(doc, "connected", json::Value(connected), alloc);
    json::set(doc, "enabled", json::Value(facts.enabled), alloc);
    json::set(doc, "hasApiKey", json::Value(facts.has_api_key), alloc);
    if (connected) {
        json::set(doc, "userId", json::string_value(*facts.user_id, alloc), alloc);
        json::set(doc, "organizationId", json::string_value(facts.organization_id, alloc), alloc);
    }
    json::set(doc, "topUpUrl", json::string_value(facts.top_up_url, alloc), alloc);
    json::set(doc, "apiGeneration",
              facts.api_generation.empty() ? json::Value()
                                           : json::string_value(facts.api_generation, alloc),
              alloc);
    if (!connected) {
        const char *reason =
            facts.has_api_key
                ? (facts.runtime_started ? kReasonKeyNotAuthenticated : kReasonKeyRuntimeNotStarted)
                : (facts.runtime_started ? kReasonNotAuthenticated : kReasonRuntimeNotStarted);
        json::set(doc, "reason", json::string_value(reason, alloc), alloc);
    }
    if (!facts.foreign_key_origin.empty())
        json::set(doc, "apiKeyBaseUrl", json::string_value(facts.foreign_key_origin, alloc), alloc);
    return json::stringify(doc);
}

std::string credits_json(bool connected, std::optional<double> balance,
                         const std::string &top_up_url) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "connected", json::Value(connected), alloc);
    json::set(doc, "balance", balance ? json::Value(*balance) : json::Value(), alloc);
    json::set(doc, "low", json::Value(balance && credits_low(*balance)), alloc);
    json::set(doc, "critical", json::Value(balance && credits_critical(*balance)), alloc);
    json::set(doc, "topUpUrl", json::string_value(top_up_url, alloc), alloc);
    return json::stringify(doc);
}

}  // namespace elizacloud
