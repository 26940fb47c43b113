// Inference (contract §5): OpenAI-compatible chat completions, responses and embeddings, the
// Anthropic-compatible messages, and the model catalogue. Non-streaming: these rows answer one
// JSON document ("stream": true is refused locally; the streaming calls are separate). The
// answers are bare (no {success, data} envelope): the result is the whole body.
#include <array>

#include "api/operations/inference_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr ParamSpec kModel{.name = "model",
                           .type = ParamType::String,
                           .required = true,
                           .min_length = 1,
                           .max_length = 256,
                           .doc = "the model, gateway style: provider/model (openai/gpt-5-mini)"};

constexpr std::array<ParamSpec, 9> kChat{{
    kModel,
    {.name = "messages",
     .type = ParamType::Json,
     .required = true,
     .doc = "the conversation: [{role: system|user|assistant, content}]"},
    {.name = "temperature", .type = ParamType::Number, .doc = "sampling temperature"},
    {.name = "max_tokens", .type = ParamType::Integer, .doc = "the most tokens to generate"},
    {.name = "top_p", .type = ParamType::Number, .doc = "nucleus sampling"},
    {.name = "stop", .type = ParamType::Json, .doc = "a stop string or an array of them"},
    kAppIdHeader,
    kAffiliateHeader,
    kPaymentHeader,
}};

constexpr std::array<ParamSpec, 9> kMessages{{
    {.name = "model",
     .type = ParamType::String,
     .required = true,
     .min_length = 1,
     .max_length = 256,
     .doc = "the model (a bare claude-… name means anthropic/claude-…)"},
    {.name = "max_tokens",
     .type = ParamType::Integer,
     .required = true,
     .doc = "the most tokens to generate"},
    {.name = "messages",
     .type = ParamType::Json,
     .required = true,
     .doc = "the conversation: [{role: user|assistant, content}]"},
    {.name = "system", .type = ParamType::Json, .doc = "the system prompt (a string or blocks)"},
    {.name = "tools", .type = ParamType::Json, .doc = "[{name, description?, input_schema}]"},
    {.name = "temperature", .type = ParamType::Number, .doc = "sampling temperature"},
    kAppIdHeader,
    kAffiliateHeader,
    kPaymentHeader,
}};

constexpr std::array<ParamSpec, 6> kResponses{{
    kModel,
    {.name = "input",
     .type = ParamType::Json,
     .required = true,
     .doc = "the input: a string or a list of input items"},
    {.name = "instructions", .type = ParamType::String, .doc = "system instructions"},
    kAppIdHeader,
    kAffiliateHeader,
    kPaymentHeader,
}};

constexpr std::array<ParamSpec, 5> kEmbeddings{{
    kModel,
    {.name = "input",
     .type = ParamType::Json,
     .required = true,
     .doc = "a string or an array of strings (neither empty)"},
    kAppIdHeader,
    kAffiliateHeader,
    kPaymentHeader,
}};

constexpr std::array<ParamSpec, 1> kModelId{{
    {.name = "model",
     .type = ParamType::String,
     .in = ParamIn::Path,
     .required = true,
     .min_length = 1,
     .max_length = 256,
     .doc = "the model id, e.g. openai/gpt-5-mini"},
}};

constexpr std::array<OperationSpec, 8> kRows{{
    {.name = "chat.completions.create",
     .summary = "An OpenAI-compatible chat completion (one answer, not streamed)",
     .http_method = "POST",
     .milady_path = "/api/v1/chat/completions",
     .eliza_path = "/api/v1/chat/completions",
     .params = kChat,
     .body = Body::Passthrough,  // any other OpenAI field is forwarded as it is
     .result = "ChatCompletion",
     .answer = Answer::Whole},
    {.name = "chat.completions.stream",
     .summary = "An OpenAI-compatible chat completion, streamed: text deltas as they come, then "
                "the accumulated completion (text, finish reason, tool calls, usage)",
     .http_method = "POST",
     .milady_path = "/api/v1/chat/completions",
     .eliza_path = "/api/v1/chat/completions",
     .params = kChat,
     .body = Body::Passthrough,
     .result = "CompletionStreamEnd",
     .streaming = Streaming::OpenAiSse,
     .timing = Timing::Stream},
    {.name = "messages.stream",
     .summary = "An Anthropic-compatible message, streamed: text deltas as they come, then the "
                "final message (text and tool-use blocks with their input parsed, stop reason, "
                "usage)",
     .http_method = "POST",
     .milady_path = "/api/v1/messages",
     .eliza_path = "/api/v1/messages",
     .params = kMessages,
     .body = Body::Passthrough,
     .result = "AnthropicMessage",
     .streaming = Streaming::AnthropicSse,
     .timing = Timing::Stream},
    {.name = "messages.create",
     .summary = "An Anthropic-compatible message, with tool use (one answer, not streamed)",
     .http_method = "POST",
     .milady_path = "/api/v1/messages",
     .eliza_path = "/api/v1/messages",
     .params = kMessages,
     .body = Body::Passthrough,
     .result = "AnthropicMessage",
     .answer = Answer::Whole},
    {.name = "responses.create",
     .summary = "An OpenAI Responses API call (one answer, not streamed)",
     .http_method = "POST",
     .milady_path = "/api/v1/responses",
     .eliza_path = "/api/v1/responses",
     .params = kResponses,
     .body = Body::Passthrough,
     .result = "ModelResponse",
     .answer = Answer::Whole},
    {.name = "embeddings.create",
     .summary = "OpenAI-compatible embeddings of a text or a list of texts",
     .http_method = "POST",
     .milady_path = "/api/v1/embeddings",
     .eliza_path = "/api/v1/embeddings",
     .params = kEmbeddings,
     .body = Body::Passthrough,
     .result = "EmbeddingList",
     .answer = Answer::Whole},
    {.name = "models.list",
     .summary = "The models inference can use",
     .scope = Scope::None,
     .http_method = "GET",
     .milady_path = "/api/v1/models",
     .eliza_path = "/api/v1/models",
     .result = "ModelList",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "models.get",
     .summary = "One model's details",
     .http_method = "GET",
     .milady_path = "/api/v1/models/{model}",
     .eliza_path = "/api/v1/models/{model}",
     .params = kModelId,
     .result = "Model",
     .idempotent = true,
     .answer = Answer::Whole},
}};

}  // namespace

std::span<const OperationSpec> inference_operations() {
    return kRows;
}

}  // namespace elizacloud::api
