// Voices (contract §6): text to speech (a binary stream) and the organisation's cloned voices
// (speech-to-text and cloning are uploads: other calls).
#include <array>

#include "api/operations/common_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 1> kId{kIdInPath};

constexpr std::array<ParamSpec, 4> kList{{
    {.name = "includeInactive",
     .type = ParamType::Boolean,
     .in = ParamIn::Query,
     .doc = "list inactive voices too"},
    {.name = "cloneType",
     .type = ParamType::Enum,
     .in = ParamIn::Query,
     .enum_values = "instant|professional",
     .doc = "only voices of this clone type"},
    {.name = "limit", .type = ParamType::Integer, .in = ParamIn::Query, .doc = "at most 100"},
    {.name = "offset", .type = ParamType::Integer, .in = ParamIn::Query, .doc = "skip this many"},
}};

constexpr std::array<ParamSpec, 3> kTts{{
    {.name = "text",
     .required = true,
     .min_length = 1,
     .max_length = 5000,
     .doc = "what to say (at most 5000 characters)"},
    {.name = "voiceId", .max_length = 256, .doc = "a voice (default: the cloud's)"},
    {.name = "modelId", .max_length = 256, .doc = "the speech model (default eleven_flash_v2_5)"},
}};

constexpr std::array<OperationSpec, 4> kRows{{
    {.name = "voices.tts",
     .summary = "Text to speech: the audio (audio/mpeg) streamed as bytes, then its size and type",
     .http_method = "POST",
     .milady_path = "/api/v1/voice/tts",
     .eliza_path = "/api/v1/voice/tts",
     .params = kTts,
     .body = Body::Params,
     .result = "AudioEnd",
     .streaming = Streaming::Binary,
     .timing = Timing::Stream},
    {.name = "voices.list",
     .summary = "The organisation's cloned voices",
     .http_method = "GET",
     .milady_path = "/api/v1/voice/list",
     .eliza_path = "/api/v1/voice/list",
     .params = kList,
     .result = "VoiceList",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "voices.get",
     .summary = "One cloned voice",
     .http_method = "GET",
     .milady_path = "/api/v1/voice/{id}",
     .eliza_path = "/api/v1/voice/{id}",
     .params = kId,
     .result = "VoiceAnswer",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "voices.delete",
     .summary = "Deletes a cloned voice",
     .http_method = "DELETE",
     .milady_path = "/api/v1/voice/{id}",
     .eliza_path = "/api/v1/voice/{id}",
     .params = kId,
     .result = "Done",
     .idempotent = true,
     .answer = Answer::Whole},
}};

}  // namespace

std::span<const OperationSpec> voice_operations() {
    return kRows;
}

}  // namespace elizacloud::api
