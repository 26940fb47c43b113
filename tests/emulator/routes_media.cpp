// Media generation (C§6): POST /api/v1/generate-image answers a tiny valid PNG (1×1) as a data
// URL and as base64, numImages times; POST /api/v1/generate-video answers a video record with a
// deterministic URL. Both echo the x-webhook-url header as webhookUrl when one was sent.
#include "routes_breadth.hpp"

namespace emu {

namespace {

// Handler-style auth with the bare error of these routes.
std::optional<Reply> media_auth(const Ctx &c, const State &st, std::optional<Principal> &who) {
    AuthCheck a = edge_auth(c.req, st);
    if (!a.who)
        return bare_error(401, "Authentication required. Provide a valid session or API key.");
    who = a.who;
    return std::nullopt;
}

std::optional<std::string> prompt_of(const rapidjson::Value &body, std::optional<Reply> &bad) {
    auto prompt = get_string(body, "prompt");
    if (!prompt || prompt->empty()) {
        bad = bare_error(400, "Prompt is required");
    } else if (utf8_length(*prompt) > 4000) {
        bad = bare_error(400, "Prompt must be at most 4000 characters");
    }
    return prompt;
}

void echo_webhook(const Ctx &c, JsonOut &o) {
    const std::string hook = c.req.get_header_value("x-webhook-url");
    if (!hook.empty()) o.f("webhookUrl", hook);
}

}  // namespace

void register_media_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;

    r.add("POST", "/api/v1/generate-image", [&st](Ctx &c) {
        std::optional<Principal> who;
        if (auto denied = media_auth(c, st, who)) return *denied;
        rapidjson::Document body;
        if (!object_body(c, body)) return bare_error(400, "Invalid JSON body");
        std::optional<Reply> bad;
        prompt_of(body, bad);
        if (bad) return *bad;
        const int64_t n = get_int(body, "numImages").value_or(1);
        if (n < 1 || n > 4) return bare_error(400, "numImages must be between 1 and 4");
        const std::string png = kTinyPngBase64;
        JsonOut o;
        o.begin_obj().begin_arr("images");
        for (int64_t i = 0; i < n; ++i) {
            o.begin_obj().f("url", "data:image/png;base64," + png).f("image", png);
            o.f("mimeType", "image/png").f("fileSize", 70).end();
        }
        o.end().f("numImages", n).f("aspectRatio", string_or(body, "aspectRatio", "1:1"));
        echo_webhook(c, o);
        o.end();
        return json_reply(200, o.str());
    });

    r.add("POST", "/api/v1/generate-video", [&st](Ctx &c) {
        std::optional<Principal> who;
        if (auto denied = media_auth(c, st, who)) return *denied;
        rapidjson::Document body;
        if (!object_body(c, body)) return bare_error(400, "Invalid JSON body");
        std::optional<Reply> bad;
        auto prompt = prompt_of(body, bad);
        if (bad) return *bad;
        const std::string id = random_hex(8);
        JsonOut o;
        o.begin_obj().begin_obj("video");
        o.f("url", "https://media.emulator.invalid/videos/" + id + ".mp4");
        o.f("content_type", "video/mp4").f("width", 1280).f("height", 720);
        o.f("file_name", id + ".mp4").f("file_size", 1024).end();
        o.f("seed", 42).begin_arr("has_nsfw_concepts").put(false).end();
        o.begin_obj("timings").f("inference", 1.0).end().f("requestId", id);
        o.f("model", string_or(body, "model", "fal-ai/veo3"));
        echo_webhook(c, o);
        o.end();
        return json_reply(200, o.str());
    });
}

}  // namespace emu
