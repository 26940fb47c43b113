// Media generation (contract §6): images and video, synchronous, bare answers.
#include <array>

#include "api/operations/inference_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 8> kImage{{
    {.name = "prompt",
     .required = true,
     .min_length = 1,
     .max_length = 4000,
     .doc = "what to draw"},
    {.name = "numImages", .type = ParamType::Integer, .doc = "how many images, 1 to 4"},
    {.name = "aspectRatio", .max_length = 16, .doc = "e.g. 1:1 (the default), 16:9"},
    {.name = "stylePreset", .max_length = 100, .doc = "a style preset"},
    {.name = "sourceImage",
     .max_length = 14'000'000,
     .doc = "an image to start from, as a data URL"},
    {.name = "model", .max_length = 256, .doc = "an allowed image model"},
    kWebhookHeader,
    kAppIdHeader,
}};

constexpr std::array<ParamSpec, 4> kVideo{{
    {.name = "prompt",
     .required = true,
     .min_length = 1,
     .max_length = 4000,
     .doc = "what to film"},
    {.name = "model", .max_length = 256, .doc = "an allowed video model (fal-ai/veo3 by default)"},
    kWebhookHeader,
    kAppIdHeader,
}};

constexpr std::array<OperationSpec, 2> kRows{{
    {.name = "images.generate",
     .summary = "Generates images from a prompt (URLs, or base64 when the upload failed)",
     .http_method = "POST",
     .milady_path = "/api/v1/generate-image",
     .eliza_path = "/api/v1/generate-image",
     .params = kImage,
     .body = Body::Params,
     .result = "ImageGeneration",
     .answer = Answer::Whole},
    {.name = "video.generate",
     .summary = "Generates a video from a prompt (synchronous; answers the video's URL)",
     .http_method = "POST",
     .milady_path = "/api/v1/generate-video",
     .eliza_path = "/api/v1/generate-video",
     .params = kVideo,
     .body = Body::Params,
     .result = "VideoGeneration",
     .answer = Answer::Whole},
}};

}  // namespace

std::span<const OperationSpec> media_operations() {
    return kRows;
}

}  // namespace elizacloud::api
