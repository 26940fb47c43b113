// libFuzzer target for the config loader: any file content through ConfigStore::load, then a
// save_login/load round trip. Invariants: only elizacloud::Error escapes (a refusal, never a
// crash); after a save every top-level member other than `cloud` is still there, in order, with an
// equal value, and the saved key loads back. The file lives on /dev/shm so fsync costs nothing.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/config_store.hpp"
#include "util/error.hpp"
#include "util/json.hpp"

using namespace elizacloud;

namespace {

const std::string &config_path() {
    static const std::string path = [] {
        const std::string dir = "/dev/shm/ec_config_fuzz_" + std::to_string(::getpid());
        std::filesystem::create_directories(dir);
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
        std::atexit([] {  // a run that ends normally leaves nothing behind
            std::error_code ignored;
            std::filesystem::remove_all("/dev/shm/ec_config_fuzz_" + std::to_string(::getpid()),
                                        ignored);
        });
        return dir + "/milady.json";
    }();
    return path;
}

void write_file(const std::string &path, const uint8_t *data, size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
}

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string &path = config_path();
    write_file(path, data, size);
    ConfigStore store(path);
    try {
        (void)store.load();
        store.save_login("eliza_fuzzkey0123456789");
    } catch (const Error &) {
        return 0;  // refused: not JSON, not an object, a mistyped `cloud`…
    }

    const CloudSettings after = store.load();
    if (after.api_key != "eliza_fuzzkey0123456789" || !after.effective_enabled()) __builtin_trap();

    json::Document before_doc, after_doc;
    const std::string before(reinterpret_cast<const char *>(data), size);
    if (!json::parse(before, before_doc) || !before_doc.IsObject()) return 0;  // e.g. blank
    if (!json::parse(read_file(path), after_doc) || !after_doc.IsObject()) __builtin_trap();
    // Member by member, in order (a file may repeat a name: each occurrence is kept as written).
    auto is_cloud = [](const json::Value &name) {
        return std::string_view(name.GetString(), name.GetStringLength()) == "cloud";
    };
    auto kept = after_doc.MemberBegin();
    for (auto it = before_doc.MemberBegin(); it != before_doc.MemberEnd(); ++it) {
        if (is_cloud(it->name)) continue;
        while (kept != after_doc.MemberEnd() && is_cloud(kept->name)) ++kept;
        // Compared as text: RapidJSON's == looks members up by name, which is not even reflexive
        // for objects that repeat a name.
        if (kept == after_doc.MemberEnd() || !(kept->name == it->name) ||
            json::stringify(kept->value) != json::stringify(it->value))
            __builtin_trap();
        ++kept;
    }
    return 0;
}
