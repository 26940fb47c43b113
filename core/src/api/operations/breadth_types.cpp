// The result types of the breadth areas (inference, media, voices, knowledge, containers, A2A,
// API keys, billing, apps, health): the bare answers' fields as the contract (§3, §5, §6) gives
// them. All are open: the cloud sends more fields than these.
#include <array>

#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<FieldSpec, 6> kChatCompletion{{
    {"id", "string", true, "chatcmpl-…"},
    {"object", "string", true, "chat.completion"},
    {"created", "integer", false, "epoch seconds"},
    {"model", "string", true, "the model, as requested"},
    {"choices", "json", true, "[{index, message: {role, content}, finish_reason}]"},
    {"usage", "json", false, "{prompt_tokens, completion_tokens, total_tokens}"},
}};

constexpr std::array<FieldSpec, 7> kAnthropicMessage{{
    {"id", "string", true, "msg_…"},
    {"type", "string", true, "message"},
    {"role", "string", true, "assistant"},
    {"content", "json", true, "[{type: text, text} | {type: tool_use, id, name, input}]"},
    {"model", "string", true, "the model, as requested"},
    {"stop_reason", "string|null", false, "end_turn, max_tokens, stop_sequence or tool_use"},
    {"usage", "json", false, "{input_tokens, output_tokens}"},
}};

constexpr std::array<FieldSpec, 6> kCompletionStreamEnd{{
    {"id", "string|null", true, "chatcmpl-…"},
    {"model", "string|null", true, "the model"},
    {"text", "string", true, "every content delta, joined"},
    {"finishReason", "string|null", true, "stop, length, tool_calls … (null if none came)"},
    {"toolCalls", "json", true, "[{id, type, function: {name, arguments}}], arguments joined"},
    {"usage", "json", false, "when the stream carried it"},
}};

constexpr std::array<FieldSpec, 3> kAudioEnd{{
    {"bytes", "integer", true, "audio bytes received"},
    {"contentType", "string|null", true, "e.g. audio/mpeg"},
    {"base64", "string", false, "a synchronous call (no chunks): the audio itself"},
}};

constexpr std::array<FieldSpec, 6> kModelResponse{{
    {"id", "string", true, "resp_…"},
    {"object", "string", false, "response"},
    {"model", "string", false, "the model"},
    {"output", "json", true, "the output items"},
    {"output_text", "string", false, "the text of the output"},
    {"usage", "json", false, "token counts"},
}};

constexpr std::array<FieldSpec, 4> kEmbeddingList{{
    {"object", "string", false, "list"},
    {"data", "json", true, "[{object: embedding, embedding: number[], index}]"},
    {"model", "string", false, "the model"},
    {"usage", "json", false, "{prompt_tokens, total_tokens}"},
}};

constexpr std::array<FieldSpec, 7> kModel{{
    {"id", "string", true, "provider/model"},
    {"object", "string", false, "model"},
    {"created", "integer", false, "epoch seconds"},
    {"owned_by", "string", false, "the provider"},
    {"name", "string", false, "display name"},
    {"type", "string", false, "language, embedding…"},
    {"context_window", "integer", false, "tokens"},
}};

constexpr std::array<FieldSpec, 2> kModelList{{
    {"object", "string", false, "list"},
    {"data", "Model[]", true, "the models"},
}};

constexpr std::array<FieldSpec, 2> kImageGeneration{{
    {"images", "json", true, "[{url?, image? (base64), mimeType, fileSize?}]"},
    {"numImages", "integer", true, "how many"},
}};

constexpr std::array<FieldSpec, 3> kVideoGeneration{{
    {"video", "json", true, "{url, content_type, width, height, file_name, file_size?}"},
    {"seed", "integer|null", false, "the seed used"},
    {"requestId", "string", false, "the generation's id"},
}};

constexpr std::array<FieldSpec, 5> kVoice{{
    {"id", "string", true, "its id"},
    {"name", "string", true, "its name"},
    {"cloneType", "string", false, "instant or professional"},
    {"isActive", "boolean", false, "usable"},
    {"createdAt", "string", false, "ISO time"},
}};

constexpr std::array<FieldSpec, 3> kVoiceList{{
    {"success", "boolean", false, "true"},
    {"voices", "Voice[]", true, "the voices"},
    {"total", "integer", false, "how many in all"},
}};

constexpr std::array<FieldSpec, 2> kVoiceAnswer{{
    {"success", "boolean", false, "true"},
    {"voice", "Voice", true, "the voice"},
}};

constexpr std::array<FieldSpec, 4> kTranscript{{
    {"transcript", "string", true, "the text heard"},
    {"duration_ms", "number", false, "the audio's length"},
    {"segments", "json", false, "eliza, some providers: [{text, startMs, endMs}]"},
    {"words", "json", false, "eliza, some providers: [{text, startMs, endMs}]"},
}};

constexpr std::array<FieldSpec, 5> kVoiceCloned{{
    {"success", "boolean", false, "true"},
    {"voice", "json", true,
     "{id, elevenlabsVoiceId, name, description, cloneType, status, sampleCount, createdAt}"},
    {"job", "json", false, "the cloning job: {id, status, progress}"},
    {"creditsDeducted", "number", false, "what it cost"},
    {"estimatedCompletionTime", "string", false, "e.g. \"30 seconds\""},
}};

constexpr std::array<FieldSpec, 2> kDone{{
    {"success", "boolean", false, "true"},
    {"message", "string", false, "what was done"},
}};

constexpr std::array<FieldSpec, 5> kKnowledgeDocument{{
    {"id", "string", true, "its id"},
    {"filename", "string", false, "its file name"},
    {"contentType", "string", false, "its media type"},
    {"characterId", "string|null", false, "its character"},
    {"createdAt", "string", false, "ISO time"},
}};

constexpr std::array<FieldSpec, 3> kKnowledgeList{{
    {"success", "boolean", false, "true"},
    {"documents", "KnowledgeDocument[]", true, "the documents"},
    {"total", "integer", false, "how many in all"},
}};

constexpr std::array<FieldSpec, 2> kKnowledgeAdded{{
    {"success", "boolean", false, "true"},
    {"document", "KnowledgeDocument", true, "the document"},
}};

constexpr std::array<FieldSpec, 2> kKnowledgeResults{{
    {"query", "string", true, "the query"},
    {"results", "json", true, "[{id, content, similarity, metadata?}], best first"},
}};

constexpr std::array<FieldSpec, 7> kKnowledgeUploaded{{
    {"success", "boolean", true, "whether at least one file was taken"},
    {"message", "string", false, "what happened"},
    {"successCount", "integer", false, "files taken"},
    {"failedCount", "integer", false, "files refused"},
    {"totalCount", "integer", false, "milady: files sent"},
    {"data", "json", false,
     "milady: [{id, filename, type, size, uploadedAt, status, fragmentCount?, error?}]"},
    {"documents", "json", false, "eliza: [{id, content: {text}, createdAt, metadata}]"},
}};

constexpr std::array<FieldSpec, 7> kContainer{{
    {"id", "string", true, "its id"},
    {"name", "string", true, "its name"},
    {"project_name", "string", false, "its project"},
    {"status", "string", true,
     "pending, building, deploying, running, stopped, failed or suspended"},
    {"ecr_image_uri", "string", false, "its image"},
    {"load_balancer_url", "string|null", false, "where it answers once running"},
    {"created_at", "string", false, "ISO time"},
}};

constexpr std::array<FieldSpec, 2> kContainerLogs{{
    {"containerId", "string", true, "the container"},
    {"logs", "json", true, "[{timestamp, message}]"},
}};

constexpr std::array<FieldSpec, 4> kContainerMetrics{{
    {"containerId", "string", true, "the container"},
    {"cpu_utilization", "number", false, "percent"},
    {"memory_utilization", "number", false, "percent"},
    {"request_count", "integer", false, "requests served"},
}};

constexpr std::array<FieldSpec, 3> kContainerDeployment{{
    {"id", "string", true, "its id"},
    {"status", "string", true, "its status"},
    {"created_at", "string", false, "ISO time"},
}};

constexpr std::array<FieldSpec, 2> kContainerQuota{{
    {"current", "integer", true, "containers now"},
    {"max", "integer", true, "the most allowed"},
}};

constexpr std::array<FieldSpec, 5> kA2ATask{{
    {"id", "string", false, "the task's id"},
    {"kind", "string", false, "task or message"},
    {"status", "json", false, "{state, message?, timestamp}"},
    {"history", "json", false, "the messages"},
    {"artifacts", "json", false, "what the task produced"},
}};

constexpr std::array<FieldSpec, 5> kAgentCard{{
    {"name", "string", true, "its name"},
    {"version", "string", false, "its version"},
    {"protocolVersion", "string", false, "the A2A protocol version"},
    {"methods", "json", false, "the JSON-RPC methods"},
    {"skills", "json", false, "the skills"},
}};

constexpr std::array<FieldSpec, 4> kDiscoveryResults{{
    {"services", "json", true, "[{id, name, description, type, source, tags, active, …}]"},
    {"total", "integer", true, "how many match"},
    {"hasMore", "boolean", false, "more pages"},
    {"pagination", "json", false, "{limit, offset}"},
}};

constexpr std::array<FieldSpec, 9> kApiKey{{
    {"id", "string", true, "its id"},
    {"name", "string", true, "its name"},
    {"description", "string|null", false, "what it is for"},
    {"key_prefix", "string", true, "its first characters"},
    {"permissions", "json", false, "its permissions"},
    {"rate_limit", "integer", false, "requests per minute"},
    {"is_active", "boolean", false, "usable"},
    {"expires_at", "string|null", false, "ISO time"},
    {"created_at", "string", false, "ISO time"},
}};

constexpr std::array<FieldSpec, 1> kApiKeyList{{
    {"keys", "ApiKey[]", true, "the keys"},
}};

constexpr std::array<FieldSpec, 2> kApiKeyCreated{{
    {"apiKey", "ApiKey", true, "the key's record"},
    {"plainKey", "string", true, "the key itself, shown once"},
}};

constexpr std::array<FieldSpec, 1> kApiKeyAnswer{{
    {"apiKey", "ApiKey", true, "the key's record"},
}};

constexpr std::array<FieldSpec, 7> kCreditsSummary{{
    {"organization", "json", true, "{id, name, creditBalance, autoTopUpEnabled, …}"},
    {"agents", "json", false, "the characters' budgets"},
    {"agentsSummary", "json", false, "totals"},
    {"apps", "json", false, "the apps' earnings"},
    {"earnings", "json", false, "the earnings"},
    {"recentTransactions", "json", false, "the last 10"},
    {"pricing", "json", false, "{creditsPerDollar, minimumTopUp, x402Enabled}"},
}};

constexpr std::array<FieldSpec, 2> kCheckout{{
    {"url", "string", true, "the page the user pays on"},
    {"sessionId", "string", true, "for billing.verify"},
}};

constexpr std::array<FieldSpec, 3> kCheckoutVerified{{
    {"success", "boolean", true, "true"},
    {"amount", "number", false, "US dollars added"},
    {"message", "string", false, "the cloud's message"},
}};

constexpr std::array<FieldSpec, 3> kTransactions{{
    {"transactions", "json", true, "[{id, amount, type, description, metadata, created_at}]"},
    {"total", "integer", true, "how many"},
    {"period", "json", false, "{start, end}"},
}};

constexpr std::array<FieldSpec, 3> kBillingSettings{{
    {"success", "boolean", false, "true"},
    {"message", "string", false, "after an update"},
    {"settings", "json", true,
     "{autoTopUp: {enabled, amount, threshold, hasPaymentMethod}, payAsYouGoFromEarnings, "
     "limits?}"},
}};

constexpr std::array<FieldSpec, 5> kTopUp{{
    {"success", "boolean", true, "true when charged"},
    {"message", "string", false, "what happened"},
    {"amount", "number", false, "US dollars charged"},
    {"previousBalance", "number", false, "before"},
    {"newBalance", "number", false, "after"},
}};

constexpr std::array<FieldSpec, 7> kApp{{
    {"id", "string", true, "its id"},
    {"name", "string", true, "its name"},
    {"slug", "string", false, "its slug"},
    {"app_url", "string", false, "its URL"},
    {"description", "string|null", false, "what it does"},
    {"is_active", "boolean", false, "usable"},
    {"created_at", "string", false, "ISO time"},
}};

constexpr std::array<FieldSpec, 3> kAppCreated{{
    {"success", "boolean", false, "true"},
    {"app", "App", true, "the app"},
    {"apiKey", "string", true, "its API key, shown once"},
}};

constexpr std::array<FieldSpec, 2> kAppList{{
    {"success", "boolean", false, "true"},
    {"apps", "App[]", true, "the apps"},
}};

constexpr std::array<FieldSpec, 2> kAppAnswer{{
    {"success", "boolean", false, "true"},
    {"app", "App", true, "the app"},
}};

constexpr std::array<FieldSpec, 3> kAppNameCheck{{
    {"success", "boolean", false, "true"},
    {"available", "boolean", true, "the name is free"},
    {"suggestedName", "string", false, "a free name, when it is not"},
}};

constexpr std::array<FieldSpec, 2> kAppAnalytics{{
    {"success", "boolean", false, "true"},
    {"analytics", "json", true, "the usage per period"},
}};

constexpr std::array<FieldSpec, 3> kAppUsers{{
    {"success", "boolean", false, "true"},
    {"users", "json", true, "[{id, firstSeen, lastSeen, requestCount}]"},
    {"total", "integer", false, "how many"},
}};

constexpr std::array<FieldSpec, 2> kAppMonetization{{
    {"success", "boolean", false, "true"},
    {"monetization", "json", true,
     "{monetizationEnabled, inferenceMarkupPercentage, purchaseSharePercentage}"},
}};

constexpr std::array<FieldSpec, 2> kAppEarnings{{
    {"success", "boolean", false, "true"},
    {"earnings", "json", true, "{total, pending, available, history}"},
}};

constexpr std::array<FieldSpec, 4> kAppWithdrawal{{
    {"success", "boolean", true, "true"},
    {"amount", "number", false, "US dollars withdrawn"},
    {"available", "number", false, "left to withdraw"},
    {"message", "string", false, "the cloud's message"},
}};

constexpr std::array<FieldSpec, 3> kAppKey{{
    {"success", "boolean", false, "true"},
    {"apiKey", "string", true, "the new key, shown once"},
    {"message", "string", false, "the cloud's message"},
}};

constexpr std::array<FieldSpec, 3> kAppDomain{{
    {"domain", "string", true, "the domain"},
    {"verified", "boolean", true, "its DNS points at the app"},
    {"createdAt", "string", false, "ISO time"},
}};

constexpr std::array<FieldSpec, 2> kAppDomainAnswer{{
    {"success", "boolean", false, "true"},
    {"domain", "AppDomain", true, "the domain"},
}};

constexpr std::array<FieldSpec, 2> kAppDomains{{
    {"success", "boolean", false, "true"},
    {"domains", "AppDomain[]", true, "the domains"},
}};

constexpr std::array<FieldSpec, 5> kHealth{{
    {"status", "string", true, "ok"},
    {"timestamp", "json", false, "when"},
    {"region", "string", false, "where"},
    {"environment", "string", false, "eliza: the environment"},
    {"schemaCompatibility", "json", false, "eliza: schema markers"},
}};

constexpr std::array<TypeSpec, 54> kTypes{{
    {"CompletionStreamEnd", kCompletionStreamEnd, false},
    {"AudioEnd", kAudioEnd, false},
    {"ChatCompletion", kChatCompletion, true},
    {"AnthropicMessage", kAnthropicMessage, true},
    {"ModelResponse", kModelResponse, true},
    {"EmbeddingList", kEmbeddingList, true},
    {"Model", kModel, true},
    {"ModelList", kModelList, true},
    {"ImageGeneration", kImageGeneration, true},
    {"VideoGeneration", kVideoGeneration, true},
    {"Voice", kVoice, true},
    {"VoiceList", kVoiceList, true},
    {"VoiceAnswer", kVoiceAnswer, true},
    {"Done", kDone, true},
    {"KnowledgeDocument", kKnowledgeDocument, true},
    {"KnowledgeList", kKnowledgeList, true},
    {"KnowledgeAdded", kKnowledgeAdded, true},
    {"KnowledgeResults", kKnowledgeResults, true},
    {"KnowledgeUploaded", kKnowledgeUploaded, true},
    {"Transcript", kTranscript, true},
    {"VoiceCloned", kVoiceCloned, true},
    {"Container", kContainer, true},
    {"ContainerLogs", kContainerLogs, true},
    {"ContainerMetrics", kContainerMetrics, true},
    {"ContainerDeployment", kContainerDeployment, true},
    {"ContainerQuota", kContainerQuota, true},
    {"A2ATask", kA2ATask, true},
    {"AgentCard", kAgentCard, true},
    {"DiscoveryResults", kDiscoveryResults, true},
    {"ApiKey", kApiKey, true},
    {"ApiKeyList", kApiKeyList, true},
    {"ApiKeyCreated", kApiKeyCreated, true},
    {"ApiKeyAnswer", kApiKeyAnswer, true},
    {"CreditsSummary", kCreditsSummary, true},
    {"Checkout", kCheckout, true},
    {"CheckoutVerified", kCheckoutVerified, true},
    {"Transactions", kTransactions, true},
    {"BillingSettings", kBillingSettings, true},
    {"TopUp", kTopUp, true},
    {"App", kApp, true},
    {"AppCreated", kAppCreated, true},
    {"AppList", kAppList, true},
    {"AppAnswer", kAppAnswer, true},
    {"AppNameCheck", kAppNameCheck, true},
    {"AppAnalytics", kAppAnalytics, true},
    {"AppUsers", kAppUsers, true},
    {"AppMonetization", kAppMonetization, true},
    {"AppEarnings", kAppEarnings, true},
    {"AppWithdrawal", kAppWithdrawal, true},
    {"AppKey", kAppKey, true},
    {"AppDomain", kAppDomain, true},
    {"AppDomainAnswer", kAppDomainAnswer, true},
    {"AppDomains", kAppDomains, true},
    {"Health", kHealth, true},
}};

}  // namespace

std::span<const TypeSpec> breadth_types() {
    return kTypes;
}

}  // namespace elizacloud::api
