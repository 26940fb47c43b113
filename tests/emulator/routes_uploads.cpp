// The multipart upload routes (C§6, §7.8; E§6): speech to text, voice cloning and knowledge file
// uploads, with the limits and error bodies of each generation's handler. A transcript is
// deterministic ("<n> bytes of <type> audio from <file>"), a cloned voice joins the voices that
// voices.list shows, and uploaded text files become knowledge documents that list and query see.
#include <algorithm>
#include <cstdlib>

#include "routes_breadth.hpp"

namespace emu {

namespace {

constexpr size_t kMb = 1024 * 1024;

// What the audio's first bytes say it is (the cloud sniffs before it transcribes); empty when
// they say nothing it knows.
std::string sniff_audio(const std::string &b) {
    auto at = [&](size_t i) { return i < b.size() ? static_cast<unsigned char>(b[i]) : 0u; };
    if (b.compare(0, 3, "ID3") == 0 || (at(0) == 0xFF && (at(1) & 0xE0) == 0xE0))
        return "audio/mpeg";
    if (b.compare(0, 4, "RIFF") == 0 && b.size() >= 12 && b.compare(8, 4, "WAVE") == 0)
        return "audio/wav";
    if (b.compare(0, 4, "OggS") == 0) return "audio/ogg";
    if (at(0) == 0x1A && at(1) == 0x45 && at(2) == 0xDF && at(3) == 0xA3) return "audio/webm";
    if (b.size() >= 8 && b.compare(4, 4, "ftyp") == 0) return "audio/mp4";
    return "";
}

std::string media_type(const std::string &declared) {
    std::string t = declared.substr(0, declared.find(';'));
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return t;
}

std::vector<const httplib::MultipartFormData *> file_parts(const httplib::Request &req,
                                                           bool (*wanted)(const std::string &)) {
    std::vector<const httplib::MultipartFormData *> out;
    for (const auto &[name, part] : req.files)
        if (!part.filename.empty() && wanted(name)) out.push_back(&part);
    return out;
}

std::optional<std::string> text_field(const httplib::Request &req, const char *name) {
    const auto it = req.files.find(name);
    if (it == req.files.end() || !it->second.filename.empty()) return std::nullopt;
    return it->second.content;
}

Reply error_with_details(int status, const std::string &error, const std::string &details) {
    JsonOut o;
    o.begin_obj().f("error", error).f("details", details).end();
    return json_reply(status, o.str());
}

// The knowledge document a file becomes (the same record knowledge.add makes).
Record document_of(const httplib::MultipartFormData &f, const std::string &org,
                   const std::optional<std::string> &character) {
    const std::string id = uuid_v4();
    JsonOut o;
    o.begin_obj().f("id", id).f("filename", f.filename);
    o.f("contentType", f.content_type.empty() ? "application/octet-stream" : f.content_type);
    o.f("size", static_cast<int64_t>(f.content.size()));
    if (character) {
        o.f("characterId", *character);
    } else {
        o.f_null("characterId");
    }
    o.begin_obj("metadata").f("source", "upload").end();
    o.f("createdAt", iso_ms(now_ms())).f("content", f.content).end();
    return Record{id, org, o.str(), 0, 0};
}

bool is_files_field(const std::string &name) {
    return name == "files" || name == "files[]";
}

bool is_clone_file_field(const std::string &name) {
    return name.rfind("file", 0) == 0;
}

bool is_audio_field(const std::string &name) {
    return name == "audio";
}

Reply speech_to_text(const Ctx &c, const Principal &, bool eliza) {
    const auto *audio = [&]() -> const httplib::MultipartFormData * {
        const auto parts = file_parts(c.req, &is_audio_field);
        return parts.empty() ? nullptr : parts.front();
    }();
    if (!audio)
        return bare_error(400, eliza && !c.req.is_multipart_form_data()
                                   ? "Expected multipart form data with audio field"
                                   : "No audio file provided");
    if (audio->content.size() > 25 * kMb)
        return bare_error(400, "File too large. Maximum size is 25MB");
    static const std::vector<std::string> kDeclared{"audio/mp3",  "audio/mpeg", "audio/mp4",
                                                    "audio/m4a",  "audio/wav",  "audio/x-wav",
                                                    "audio/webm", "audio/ogg"};
    const std::string declared = media_type(audio->content_type);
    if (std::find(kDeclared.begin(), kDeclared.end(), declared) == kDeclared.end())
        return bare_error(400,
                          "Unsupported audio format. Supported: mp3, mp4, m4a, wav, webm, ogg");
    const std::string sniffed = sniff_audio(audio->content);
    if (sniffed.empty())
        return bare_error(400, "Unable to verify file type. Please upload a valid audio file.");
    const int64_t duration = static_cast<int64_t>(audio->content.size() / 16);  // 128 kbit/s
    const std::string language = text_field(c.req, "languageCode").value_or("");
    std::string transcript = std::to_string(audio->content.size()) + " bytes of " + sniffed +
                             " audio from " + audio->filename;
    if (!language.empty()) transcript += " (" + language + ")";
    JsonOut o;
    o.begin_obj().f("transcript", transcript).f("duration_ms", duration);
    if (eliza) {
        o.begin_arr("segments");
        o.begin_obj().f("text", transcript).f("startMs", 0).f("endMs", duration).end();
        o.end();
    }
    o.end();
    return json_reply(200, o.str());
}

Reply clone_voice(const Ctx &c, const Principal &who, Records &rec, bool eliza) {
    auto fail = [eliza](const std::string &message) {
        if (!eliza) return bare_error(400, message);
        JsonOut o;
        o.begin_obj().f("success", false).f("error", message).f("code", "bad_request").end();
        return json_reply(400, o.str());
    };
    const auto name = text_field(c.req, "name");
    const auto type = text_field(c.req, "cloneType");
    if (!name || name->empty())
        return fail(eliza ? "Missing required field: name"
                          : "Missing required fields: name, cloneType");
    if (!type) return fail("Missing required fields: name, cloneType");
    if (*type != "instant" && *type != "professional")
        return fail("Invalid cloneType. Must be 'instant' or 'professional'");
    if (const auto settings = text_field(c.req, "settings")) {
        rapidjson::Document d;
        if (!parse_json(*settings, d) || (eliza && !d.IsObject()))
            return fail("Invalid settings JSON");
    }
    const auto files = file_parts(c.req, &is_clone_file_field);
    if (files.empty()) return fail("At least one audio file is required");
    if (files.size() > 10) return fail("Maximum 10 files allowed");
    size_t total = 0;
    for (const auto *f : files) {
        total += f->content.size();
        if (!eliza) continue;
        if (f->content.empty()) return fail("File " + f->filename + " is empty");
        if (f->content.size() > 10 * kMb) return fail("File " + f->filename + " exceeds 10MB");
        const std::string t = media_type(f->content_type);
        if (!t.empty() && t.rfind("audio/", 0) != 0 && t != "video/mp4")
            return fail("File " + f->filename + " is not an audio file");
    }
    if (total > 100 * kMb) return fail("Total file size exceeds 100MB limit");

    const std::string id = uuid_v4();
    const bool instant = *type == "instant";
    const std::string created = iso_ms(now_ms());
    JsonOut voice;
    voice.begin_obj().f("id", id).f("elevenlabsVoiceId", "emu_" + id.substr(0, 8));
    voice.f("name", *name).f("description", text_field(c.req, "description").value_or(""));
    voice.f("cloneType", *type).f("status", instant ? "completed" : "processing");
    voice.f("sampleCount", static_cast<int64_t>(files.size())).f("isActive", instant);
    voice.f("createdAt", created).end();
    rec.put("voice", {id, who.org_id, voice.str(), 0, 0});
    JsonOut o;
    o.begin_obj().f("success", true).f_raw("voice", voice.str());
    o.begin_obj("job").f("id", uuid_v4()).f("status", instant ? "completed" : "processing");
    o.f("progress", instant ? 100 : 0).end();
    o.f("creditsDeducted", instant ? 0.5 : 25.0);
    o.f("estimatedCompletionTime", instant ? "30 seconds" : "30-60 minutes").end();
    return json_reply(201, o.str());
}

bool allowed_document(const std::string &filename) {
    static const std::vector<std::string> kExtensions{".pdf",  ".txt", ".md",   ".doc", ".docx",
                                                      ".json", ".xml", ".yaml", ".yml", ".csv"};
    const size_t dot = filename.rfind('.');
    if (dot == std::string::npos) return false;
    std::string ext = filename.substr(dot);
    for (char &ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

Reply upload_documents_milady(const Ctx &c, const Principal &who, Records &rec) {
    if (!c.req.is_multipart_form_data())
        return error_with_details(400, "Malformed request", "Expected multipart form data");
    const auto files = file_parts(c.req, &is_files_field);
    if (files.empty()) return error_with_details(400, "No files provided", "Attach files");
    if (files.size() > 5)
        return error_with_details(400, "Too many files", "Upload at most 5 files at a time");
    size_t total = 0;
    for (const auto *f : files) total += f->content.size();
    if (total > 5 * kMb)
        return error_with_details(400, "Batch too large", "The files exceed 5MB in total");
    for (const auto *f : files) {
        if (f->filename.find_first_of("/\\:*?\"<>|") != std::string::npos ||
            f->filename.find("..") != std::string::npos)
            return error_with_details(400, "Invalid filename", f->filename);
        if (f->content.size() > 5 * kMb)
            return error_with_details(400, "File too large", f->filename + " exceeds 5MB");
        if (!allowed_document(f->filename))
            return error_with_details(400, "Unsupported file type", f->filename);
    }
    const auto character = text_field(c.req, "characterId");
    if (character && !is_uuid(*character))
        return error_with_details(400, "Invalid characterId", "characterId must be a UUID");
    JsonOut o;
    o.begin_obj().f("success", true).begin_arr("data");
    for (const auto *f : files) {
        Record doc = document_of(*f, who.org_id, character);
        o.begin_obj().f("id", doc.id).f("filename", f->filename);
        o.f("type", f->content_type.empty() ? "application/octet-stream" : f->content_type);
        o.f("size", static_cast<int64_t>(f->content.size())).f("uploadedAt", iso_ms(now_ms()));
        o.f("status", "success").f("fragmentCount", 1).end();
        rec.put("document", std::move(doc));
    }
    const auto n = static_cast<int64_t>(files.size());
    o.end().f("message", "Uploaded " + std::to_string(n) + " file(s)");
    o.f("successCount", n).f("failedCount", 0).f("totalCount", n).end();
    return json_reply(200, o.str());
}

Reply upload_documents_eliza(const Ctx &c, const Principal &who, Records &rec) {
    if (!c.req.is_multipart_form_data()) return cloud_error(400, "multipart/form-data is required");
    const auto files = file_parts(c.req, &is_files_field);
    if (files.empty()) return cloud_error(400, "No files provided");
    if (files.size() > 5) return cloud_error(400, "Upload at most 5 files at a time");
    size_t total = 0;
    for (const auto *f : files) {
        if (f->content.size() > 5 * kMb)
            return cloud_error(413, "\"" + f->filename + "\" exceeds the 5MB file limit");
        total += f->content.size();
    }
    if (total > 5 * kMb) return cloud_error(413, "Upload batch exceeds 5MB");
    const auto character = text_field(c.req, "characterId");
    if (character && !is_uuid(*character)) return cloud_error(404, "Character not found");
    JsonOut o;
    o.begin_obj().f("success", true);
    o.f("message", "Uploaded " + std::to_string(files.size()) + " document(s)");
    o.f("successCount", static_cast<int64_t>(files.size())).f("failedCount", 0);
    o.begin_arr("documents");
    for (const auto *f : files) {
        Record doc = document_of(*f, who.org_id, character);
        o.begin_obj().f("id", doc.id).begin_obj("content").f("text", f->content).end();
        o.f("createdAt", now_ms()).begin_obj("metadata").f("filename", f->filename);
        o.f("contentType", f->content_type).f("size", static_cast<int64_t>(f->content.size()));
        o.end().end();
        rec.put("document", std::move(doc));
    }
    o.end().end();
    return json_reply(200, o.str());
}

}  // namespace

void register_upload_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    Records &rec = app.records;
    const bool eliza = app.opts.generation == "eliza";

    const auto stt = with_auth(
        st, [eliza](Ctx &c, const Principal &who) { return speech_to_text(c, who, eliza); });
    if (eliza) {
        // The eliza handler measures the body before it authenticates (E§6).
        r.add("POST", "/api/v1/voice/stt", [stt](Ctx &c) {
            const std::string length = c.req.get_header_value("Content-Length");
            if (std::strtoull(length.c_str(), nullptr, 10) > 25 * kMb) {
                JsonOut o;
                o.begin_obj().f("error", "STT multipart request body too large");
                o.f("maxBytes", static_cast<int64_t>(25 * kMb)).end();
                return json_reply(413, o.str());
            }
            return stt(c);
        });
    } else {
        r.add("POST", "/api/v1/voice/stt", stt);
    }

    r.add("POST", "/api/v1/voice/clone", with_auth(st, [&rec, eliza](Ctx &c, const Principal &who) {
              return clone_voice(c, who, rec, eliza);
          }));

    if (eliza) {
        r.add("POST", "/api/v1/documents/upload-file",
              with_auth(st, [&rec](Ctx &c, const Principal &who) {
                  return upload_documents_eliza(c, who, rec);
              }));
    } else {
        r.add("POST", "/api/v1/knowledge/upload-file",
              with_auth(st, [&rec](Ctx &c, const Principal &who) {
                  return upload_documents_milady(c, who, rec);
              }));
    }
}

}  // namespace emu
