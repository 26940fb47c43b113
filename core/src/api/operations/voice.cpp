// Voices (contract §6): text to speech (a binary stream), speech to text and cloning (multipart
// uploads, limits of §7.8), and the organisation's cloned voices.
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

constexpr std::array<ParamSpec, 2> kTranscribe{{
    {.name = "audio",
     .type = ParamType::File,
     .required = true,
     .max_length = 25 * 1024 * 1024,
     .doc = "the recording",
     .accept = "mp3|mpeg|mp4|m4a|wav|webm|ogg"},
    {.name = "languageCode", .max_length = 32, .doc = "the spoken language, e.g. en"},
}};

constexpr std::array<ParamSpec, 5> kClone{{
    {.name = "name",
     .required = true,
     .min_length = 1,
     .max_length = 100,
     .doc = "the voice's name"},
    {.name = "cloneType",
     .type = ParamType::Enum,
     .required = true,
     .enum_values = "instant|professional",
     .doc = "instant (seconds) or professional (about an hour)"},
    {.name = "files",
     .type = ParamType::Files,
     .required = true,
     .max_length = 10 * 1024 * 1024,
     .doc = "the voice samples (audio files)",
     .max_items = 10,
     .max_total_bytes = 100 * 1024 * 1024,
     .part = "file{n}"},
    {.name = "description", .max_length = 1000, .doc = "what the voice is"},
    {.name = "settings", .type = ParamType::Object, .doc = "the provider's voice settings"},
}};

constexpr std::array<OperationSpec, 6> kRows{{
    {.name = "voices.transcribe",
     .summary = "Speech to text: the transcript of a recording",
     .http_method = "POST",
     .milady_path = "/api/v1/voice/stt",
     .eliza_path = "/api/v1/voice/stt",
     .params = kTranscribe,
     .body = Body::Multipart,
     .result = "Transcript",
     .timing = Timing::Upload,
     .answer = Answer::Whole},
    {.name = "voices.clone",
     .summary = "Clones a voice from audio samples",
     .http_method = "POST",
     .milady_path = "/api/v1/voice/clone",
     .eliza_path = "/api/v1/voice/clone",
     .params = kClone,
     .body = Body::Multipart,
     .result = "VoiceCloned",
     .timing = Timing::Upload,
     .answer = Answer::Whole},
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
