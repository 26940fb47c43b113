// The upload rows (speech to text, voice cloning, knowledge files: multipart bodies built with
// curl_mime) against the emulator over real sockets, on both generations: files from disk and
// from memory arrive as the parts the routes read, JSON fields go as their text, and every limit
// of contract §7.8 (count, bytes per file, bytes in all, accepted types), a missing file, bad
// base64 and a file name with a path are refused before any request is sent.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "breadth_suite.hpp"
#include "util/encoding.hpp"

namespace elizacloud {
namespace {

using test::Breadth;
using test::GenerationNames;
using test::Generations;
using test::str;

TYPED_TEST_SUITE(Breadth, Generations, GenerationNames);

// The first bytes of an MP3 (an ID3 tag) and of a WAV file: what the routes sniff.
std::string mp3_bytes(size_t size) {
    std::string b = "ID3\x04";
    b.resize(size, '\x55');
    return b;
}
std::string wav_bytes() {
    return std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16) + std::string(20, '\0');
}

// A scratch folder removed with the test.
class Files {
public:
    Files() {
        dir_ = std::filesystem::temp_directory_path() /
               ("ec-upload-" + std::to_string(getpid()) + "-" + std::to_string(++counter_));
        std::filesystem::create_directories(dir_);
    }
    ~Files() { std::filesystem::remove_all(dir_); }
    std::string write(const std::string &name, const std::string &content) {
        const auto path = dir_ / name;
        std::ofstream(path, std::ios::binary) << content;
        return path.string();
    }
    // A file of `size` bytes that takes no disk (only its size is read before it is refused).
    std::string sparse(const std::string &name, uintmax_t size) {
        const std::string path = write(name, "");
        std::filesystem::resize_file(path, size);
        return path;
    }

private:
    static inline int counter_ = 0;
    std::filesystem::path dir_;
};

constexpr uintmax_t kMb = 1024 * 1024;

std::string knowledge_route(bool eliza) {
    return eliza ? "POST /api/v1/documents/upload-file" : "POST /api/v1/knowledge/upload-file";
}

// ---- speech to text -------------------------------------------------------------------------

TYPED_TEST(Breadth, TranscribeSendsAFileFromDiskOrFromMemoryWithItsType) {
    Files files;
    const std::string memo = files.write("memo.mp3", mp3_bytes(4800));
    auto heard = this->call("voices.transcribe",
                            R"({"audio":)" + json::quote(memo) + R"(,"languageCode":"en"})");
    EXPECT_EQ(str(heard, "transcript"), "4800 bytes of audio/mpeg audio from memo.mp3 (en)");
    EXPECT_EQ(json::get_int(heard, "duration_ms").value_or(-1), 300);
    EXPECT_EQ(this->kEliza, json::member(heard, "segments") != nullptr);

    // Bytes from memory, under the caller's file name; the type follows its extension.
    const std::string wav = base64_encode(wav_bytes());
    heard = this->call("voices.transcribe",
                       R"({"audio":{"data":")" + wav + R"(","filename":"take 2.wav"}})");
    EXPECT_EQ(str(heard, "transcript"), "36 bytes of audio/wav audio from take 2.wav");

    // {path, filename, contentType}: the caller's name and type win.
    heard =
        this->call("voices.transcribe", R"({"audio":{"path":)" + json::quote(memo) +
                                            R"(,"filename":"x.ogg","contentType":"audio/mpeg"}})");
    EXPECT_EQ(str(heard, "transcript"), "4800 bytes of audio/mpeg audio from x.ogg");
    EXPECT_EQ(this->count("POST /api/v1/voice/stt"), 3);
}

TYPED_TEST(Breadth, AFileTheRouteWouldRefuseIsRefusedBeforeSending) {
    Files files;
    auto refused = [&](const std::string &params, Status status, const std::string &says) {
        const ErrorInfo e = this->fail("voices.transcribe", params);
        EXPECT_EQ(e.status, status) << e.message;
        EXPECT_NE(e.message.find(says), std::string::npos) << e.message;
    };
    const std::string big = files.sparse("long.mp3", 25 * kMb + 1);
    refused(R"({"audio":)" + json::quote(big) + "}", Status::InvalidArgument, "at most 25 MB");
    const std::string text = files.write("notes.txt", "hello");
    refused(R"({"audio":)" + json::quote(text) + "}", Status::InvalidArgument,
            "not a type the cloud takes (.mp3 .mpeg .mp4 .m4a .wav .webm .ogg)");
    refused(R"({"audio":"/no/such/memo.mp3"})", Status::Io, "no such file");
    refused(R"({"audio":"/"})", Status::Io, "not a regular file");
    refused(R"({"audio":{"data":"not base64!","filename":"a.mp3"}})", Status::InvalidArgument,
            "data must be base64");
    refused(R"({"audio":{"data":"SUQz"}})", Status::InvalidArgument, "filename is required");
    refused(R"({"audio":{"data":"SUQz","filename":"../a.mp3"}})", Status::InvalidArgument,
            "plain file name");
    refused(R"({"audio":{"data":"SUQz","filename":"a.mp3","contentType":"audio/mpeg\r\nX: 1"}})",
            Status::InvalidArgument, "contentType must be a media type");
    refused(R"({"audio":{"path":"/tmp/a.mp3","data":"SUQz","filename":"a.mp3"}})",
            Status::InvalidArgument, "either path or data");
    refused(R"({"audio":{"path":"/tmp/a.mp3","size":3}})", Status::InvalidArgument,
            "unknown member \"size\"");
    refused(R"({"audio":42})", Status::InvalidArgument, "must be a path");
    refused(R"({"languageCode":"en"})", Status::InvalidArgument, "audio is required");
    EXPECT_EQ(this->count("POST /api/v1/voice/stt"), 0);

    // What the cloud itself refuses comes back as its error: bytes that are no audio.
    const std::string fake = files.write("fake.mp3", "this is not audio");
    const ErrorInfo e = this->fail("voices.transcribe", R"({"audio":)" + json::quote(fake) + "}");
    EXPECT_EQ(e.status, Status::InvalidRequest);
    EXPECT_NE(e.message.find("Unable to verify file type"), std::string::npos) << e.message;
}

// ---- voice cloning --------------------------------------------------------------------------

TYPED_TEST(Breadth, CloneSendsNumberedSamplesAndSettingsAsJsonText) {
    Files files;
    const std::string a = files.write("a.mp3", mp3_bytes(1000));
    const std::string b = files.write("b.wav", wav_bytes());
    auto cloned =
        this->call("voices.clone", R"({"name":"Narrator 2","cloneType":"instant","files":[)" +
                                       json::quote(a) + "," + json::quote(b) +
                                       R"(],"description":"calm","settings":{"stability":0.5}})");
    const json::Value &voice = cloned["voice"];
    EXPECT_EQ(str(voice, "name"), "Narrator 2");
    EXPECT_EQ(str(voice, "description"), "calm");
    EXPECT_EQ(json::get_int(voice, "sampleCount").value_or(0), 2);
    EXPECT_EQ(str(cloned, "estimatedCompletionTime"), "30 seconds");

    // The new voice is one of the organisation's voices.
    auto voices = this->call("voices.list");
    bool listed = false;
    for (const auto &v : voices["voices"].GetArray()) listed |= str(v, "name") == "Narrator 2";
    EXPECT_TRUE(listed);

    // Eleven samples, or one of more than 10 MB, never leave the client.
    std::string eleven = "[";
    for (int i = 0; i < 11; ++i) eleven += (i ? "," : "") + json::quote(a);
    ErrorInfo e =
        this->fail("voices.clone", R"({"name":"n","cloneType":"instant","files":)" + eleven + "]}");
    EXPECT_EQ(e.status, Status::InvalidArgument);
    EXPECT_NE(e.message.find("at most 10 files"), std::string::npos) << e.message;
    const std::string heavy = files.sparse("hour.mp3", 10 * kMb + 1);
    e = this->fail("voices.clone",
                   R"({"name":"n","cloneType":"instant","files":[)" + json::quote(heavy) + "]}");
    EXPECT_EQ(e.status, Status::InvalidArgument);
    EXPECT_NE(e.message.find("at most 10 MB per file"), std::string::npos) << e.message;
    EXPECT_EQ(this->count("POST /api/v1/voice/clone"), 1);
}

// ---- knowledge ------------------------------------------------------------------------------

TYPED_TEST(Breadth, UploadedKnowledgeFilesBecomeDocumentsTheQueryFinds) {
    Files files;
    const std::string a = files.write("orbits.md", "# Orbits\nKepler wrote three laws of planets.");
    const std::string b = files.write("tides.txt", "The moon pulls the oceans into tides.");
    auto uploaded = this->call("knowledge.upload",
                               R"({"files":[)" + json::quote(a) + "," + json::quote(b) + "]}");
    EXPECT_TRUE(json::get_bool(uploaded, "success").value_or(false));
    EXPECT_EQ(json::get_int(uploaded, "successCount").value_or(0), 2);
    EXPECT_NE(json::member(uploaded, this->kEliza ? "documents" : "data"), nullptr);

    auto found = this->call("knowledge.query", R"({"query":"kepler planets"})");
    ASSERT_TRUE(found["results"].IsArray() && found["results"].Size() == 1);
    EXPECT_NE(str(found["results"][0], "content").find("three laws"), std::string::npos);
    auto listed = this->call("knowledge.list");
    std::vector<std::string> names;
    for (const auto &d : listed["documents"].GetArray()) names.push_back(str(d, "filename"));
    EXPECT_EQ(names, (std::vector<std::string>{"orbits.md", "tides.txt"}));
}

TYPED_TEST(Breadth, KnowledgeUploadLimitsAreCheckedBeforeSending) {
    Files files;
    auto refused = [&](const std::string &list, const std::string &says) {
        const ErrorInfo e = this->fail("knowledge.upload", R"({"files":[)" + list + "]}");
        EXPECT_EQ(e.status, Status::InvalidArgument) << e.message;
        EXPECT_NE(e.message.find(says), std::string::npos) << e.message;
    };
    const std::string small = json::quote(files.write("a.txt", "a"));
    refused(small + "," + small + "," + small + "," + small + "," + small + "," + small,
            "at most 5 files at a time (6 given)");
    const std::string three_mb = json::quote(files.sparse("big.txt", 3 * kMb));
    refused(three_mb + "," + three_mb, "the cloud takes at most 5 MB per upload");
    refused(json::quote(files.sparse("huge.pdf", 5 * kMb + 1)), "at most 5 MB per file");
    refused(json::quote(files.write("tool.exe", "MZ")), "not a type the cloud takes");
    const ErrorInfo e = this->fail("knowledge.upload", R"({"files":[]})");
    EXPECT_NE(e.message.find("at least one file"), std::string::npos) << e.message;
    EXPECT_EQ(this->count(knowledge_route(this->kEliza)), 0);
}

TYPED_TEST(Breadth, TheCatalogueDescribesFileParameters) {
    json::Document cat;
    ASSERT_TRUE(json::parse(api::catalogue_json(), cat));
    const json::Value *upload = nullptr;
    for (const auto &op : cat["operations"].GetArray())
        if (str(op, "name") == "knowledge.upload") upload = &op;
    ASSERT_NE(upload, nullptr);
    EXPECT_EQ(str(*upload, "body"), "multipart");
    const json::Value &files = (*upload)["params"][0];
    EXPECT_EQ(str(files, "type"), "file[]");
    EXPECT_EQ(json::get_int(files, "maxItems").value_or(0), 5);
    EXPECT_EQ(json::get_int(files, "maxBytes").value_or(0), 5 * 1024 * 1024);
    EXPECT_EQ(json::get_int(files, "maxTotalBytes").value_or(0), 5 * 1024 * 1024);
    EXPECT_EQ(files["accept"].Size(), 10u);
}

}  // namespace
}  // namespace elizacloud
