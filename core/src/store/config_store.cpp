#include "store/config_store.hpp"

#include <pwd.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "store/atomic_file.hpp"
#include "store/file_lock.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace elizacloud {

namespace {

// "~", "~/x" and "~\x" → under home ("~user" is not expanded); relative → under cwd; then
// "." and ".." segments and a trailing slash are removed, as Node's path.resolve does.
std::string expand_user_path(std::string_view raw, const std::string &home,
                             const std::string &cwd) {
    std::string out;
    if (raw == "~" || raw.starts_with("~/") || raw.starts_with("~\\")) {
        if (home.empty()) throw Error(Status::Io, "cannot expand ~: the home directory is unknown");
        out = home + "/" + std::string(raw.substr(std::min<size_t>(2, raw.size())));
    } else if (raw.starts_with('/')) {
        out = raw;
    } else {
        if (cwd.empty()) throw Error(Status::Io, "cannot resolve a relative config path: no cwd");
        out = cwd + "/" + std::string(raw);
    }
    out = std::filesystem::path(out).lexically_normal().string();
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
}

std::string home_directory() {
    if (const char *home = std::getenv("HOME"); home && *home) return home;
    // No $HOME (daemons, some containers): the passwd entry.
    struct passwd pw {};
    struct passwd *result = nullptr;
    char buffer[16384];
    if (::getpwuid_r(::getuid(), &pw, buffer, sizeof buffer, &result) == 0 && result &&
        result->pw_dir) {
        return result->pw_dir;
    }
    return {};
}

// Writers of this process queue here before taking the cross-process file lock.
std::mutex &write_mutex() {
    static std::mutex mutex;
    return mutex;
}

// Parses the file's text into doc (an object). Blank text is an empty config.
void parse_config(const std::string &text, const std::string &path, json::Document &doc) {
    if (trim(text).empty()) {
        doc.SetObject();
        return;
    }
    // Normal precision on purpose: RapidJSON 1.1.0's full-precision path (StrtodDiyFp) indexes
    // past its table of cached powers for long mantissas with large exponents (found by
    // config_fuzz). Unchanged numbers keep their text anyway (see original_number).
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError()) {
        throw Error(Status::Protocol, "config file " + path + " is not valid JSON (" +
                                          rapidjson::GetParseError_En(doc.GetParseError()) +
                                          " at offset " + std::to_string(doc.GetErrorOffset()) +
                                          "); it was left unchanged");
    }
    if (!doc.IsObject()) {
        throw Error(Status::Protocol,
                    "config file " + path + " is not a JSON object; it was left unchanged");
    }
}

[[noreturn]] void throw_cloud_not_object(const std::string &path) {
    throw Error(Status::Protocol,
                "config file " + path + ": \"cloud\" is not an object; it was left unchanged");
}

// The `cloud` member: nullptr when absent or null; Error(Protocol) when of another type.
const json::Value *cloud_section(const json::Value &root, const std::string &path) {
    const json::Value *cloud = json::member(root, "cloud");
    if (!cloud || cloud->IsNull()) return nullptr;
    if (!cloud->IsObject()) throw_cloud_not_object(path);
    return cloud;
}

// A whole number within [min, max], else the fallback.
int64_t bounded_int(const json::Value *object, std::string_view key, int64_t min,
                    int64_t fallback) {
    constexpr double kMax = 1e15;  // ~31 700 years in ms: any larger value is a mistake
    if (!object) return fallback;
    const auto number = json::get_number(*object, key);
    if (!number || !std::isfinite(*number) || *number < static_cast<double>(min) ||
        *number > kMax) {
        return fallback;
    }
    return static_cast<int64_t>(*number);
}

CloudSettings read_settings(const json::Value *cloud) {
    CloudSettings s;
    if (!cloud) return s;
    s.present = true;
    s.enabled = json::get_bool(*cloud, "enabled");
    s.base_url = json::get_string(*cloud, "baseUrl").value_or("");
    s.api_key = json::get_string(*cloud, "apiKey").value_or("");
    if (const json::Value *hosts = json::member(*cloud, "allowedHosts");
        hosts && hosts->IsArray()) {
        for (const auto &host : hosts->GetArray()) {
            if (host.IsString() && host.GetStringLength() > 0) {
                s.allowed_hosts.emplace_back(host.GetString(), host.GetStringLength());
            }
        }
    }
    const json::Value *bridge = json::member(*cloud, "bridge");
    const json::Value *backup = json::member(*cloud, "backup");
    s.heartbeat_interval_ms =
        bounded_int(bridge, "heartbeatIntervalMs", 1, s.heartbeat_interval_ms);
    s.reconnect_interval_ms =
        bounded_int(bridge, "reconnectIntervalMs", 1, s.reconnect_interval_ms);
    s.max_reconnect_attempts =
        bounded_int(bridge, "maxReconnectAttempts", 0, s.max_reconnect_attempts);
    s.auto_backup_interval_ms =
        bounded_int(backup, "autoBackupIntervalMs", 1, s.auto_backup_interval_ms);
    s.insecure_local = json::get_bool(*cloud, "insecureLocal").value_or(false);
    s.api_generation = json::get_string(*cloud, "apiGeneration").value_or("");
    s.site_url = json::get_string(*cloud, "siteUrl").value_or("");
    s.login_session_id = json::get_string(*cloud, "loginSessionId").value_or("");
    s.api_key_base_url = json::get_string(*cloud, "apiKeyBaseUrl").value_or("");
    return s;
}

// Where `raw` (the same file parsed with every number kept as its text) holds the text of a
// number equal to `value`, that text; else null. A number the plugin changed no longer matches.
const json::Value *original_number(const json::Value &value, const json::Value *raw) {
    if (!raw || !raw->IsString()) return nullptr;
    json::Document reparsed;
    reparsed.Parse(raw->GetString(), raw->GetStringLength());  // the precision parse_config used
    if (reparsed.HasParseError() || !reparsed.IsNumber() || reparsed != value) return nullptr;
    return raw;
}

// The counterpart in `raw` of member `index` named `name`; raw has the file's members in order.
const json::Value *raw_member(const json::Value *raw, size_t index, const json::Value &name) {
    if (!raw || !raw->IsObject()) return nullptr;
    if (index < raw->MemberCount()) {
        const auto &m = raw->MemberBegin()[static_cast<rapidjson::SizeType>(index)];
        if (m.name == name) return &m.value;
    }
    auto it = raw->FindMember(name);
    return it == raw->MemberEnd() ? nullptr : &it->value;
}

// Writes `value` as Accept() would, except that numbers read from the file are written with the
// text they had: 123456789012345678901234567890 or 1.50 stay as they are, never rewritten as a
// double.
template <typename Writer>
bool write_value(Writer &writer, const json::Value &value, const json::Value *raw) {
    switch (value.GetType()) {
        case rapidjson::kObjectType: {
            if (!writer.StartObject()) return false;
            size_t index = 0;
            for (const auto &m : value.GetObject()) {
                if (!writer.Key(m.name.GetString(), m.name.GetStringLength())) return false;
                if (!write_value(writer, m.value, raw_member(raw, index++, m.name))) return false;
            }
            return writer.EndObject(value.MemberCount());
        }
        case rapidjson::kArrayType: {
            if (!writer.StartArray()) return false;
            const bool same = raw && raw->IsArray() && raw->Size() == value.Size();
            for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
                if (!write_value(writer, value[i], same ? &(*raw)[i] : nullptr)) return false;
            }
            return writer.EndArray(value.Size());
        }
        case rapidjson::kNumberType:
            if (const json::Value *text = original_number(value, raw)) {
                return writer.RawValue(text->GetString(), text->GetStringLength(),
                                       rapidjson::kNumberType);
            }
            return value.Accept(writer);
        default:
            return value.Accept(writer);
    }
}

// JSON.stringify(config, null, 2) + "\n", the format the host's own tools write (R175), with the
// file's numbers as they were written (`raw`: the file read with numbers as text, or null).
std::string serialize(const json::Document &doc, const json::Value *raw) {
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    if (!write_value(writer, doc, raw))
        throw Error(Status::Internal, "config could not be serialised");
    std::string out(buffer.GetString(), buffer.GetSize());
    out.push_back('\n');
    return out;
}

// Writing through a symlinked config (dotfile managers) must update the file it points to, not
// replace the link with a regular file.
std::string write_target(const std::string &path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
    char resolved[PATH_MAX];
    if (!::realpath(path.c_str(), resolved)) return path;  // dangling: write at the link
    return resolved;
}

// The key is only as private as the directory that holds it: an existing directory keeps its
// mode (often 0755), so say so when others can list or enter it.
void warn_if_directory_open(const std::string &file) {
    const std::string dir = parent_directory(file);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || (st.st_mode & 077) == 0) return;
    log::warn(
        "the directory {} holding the API key is accessible to other users (mode {:03o}); "
        "restrict it with: chmod 700 {}",
        dir, st.st_mode & 0777, dir);
}

}  // namespace

bool CloudSettings::has_api_key() const {
    return !trim(api_key).empty();
}

bool CloudSettings::effective_enabled() const {
    return enabled == true || (enabled != false && has_api_key());
}

ConfigStore::ConfigStore(std::string path) : path_(std::move(path)) {}

std::string ConfigStore::resolve_path(const Getenv &getenv, const std::string &home,
                                      const std::string &cwd) {
    if (const auto explicit_path = getenv("MILADY_CONFIG_PATH")) {
        if (const auto p = trim(*explicit_path); !p.empty()) return expand_user_path(p, home, cwd);
    }
    if (const auto state_dir = getenv("MILADY_STATE_DIR")) {
        if (const auto d = trim(*state_dir); !d.empty()) {
            const std::string dir = expand_user_path(d, home, cwd);
            return dir == "/" ? "/milady.json" : dir + "/milady.json";
        }
    }
    return expand_user_path("~/.milady/milady.json", home, cwd);
}

std::string ConfigStore::resolve_path() {
    std::error_code ec;
    const std::string cwd = std::filesystem::current_path(ec).string();
    return resolve_path(
        [](const char *name) -> std::optional<std::string> {
            const char *value = std::getenv(name);
            if (!value) return std::nullopt;
            return std::string(value);
        },
        home_directory(), ec ? std::string() : cwd);
}

CloudSettings ConfigStore::load() const {
    const auto text = read_whole_file(path_, kMaxFileBytes);
    if (!text) return {};
    json::Document doc;
    parse_config(*text, path_, doc);
    return read_settings(cloud_section(doc, path_));
}

void ConfigStore::update_cloud(const CloudEdit &edit) {
    std::lock_guard<std::mutex> guard(write_mutex());
    const std::string target = write_target(path_);
    create_directories(parent_directory(target), 0700);
    // Held from the read to the rename, so no other writer's update is lost in between.
    FileLock lock(target + ".lock");

    json::Document doc;
    json::Document raw;  // the same text with every number kept as written
    if (const auto text = read_whole_file(target, kMaxFileBytes)) {
        parse_config(*text, target, doc);
        raw.Parse<rapidjson::kParseNumbersAsStringsFlag>(text->data(), text->size());
    } else {
        doc.SetObject();
    }
    auto &alloc = doc.GetAllocator();
    if (!json::member(doc, "cloud")) {
        doc.AddMember("cloud", json::Value(rapidjson::kObjectType), alloc);
    }
    json::Value &cloud = doc["cloud"];
    if (cloud.IsNull()) {
        cloud.SetObject();
    } else if (!cloud.IsObject()) {
        throw_cloud_not_object(target);
    }

    edit(cloud, alloc);
    if (!cloud.IsObject()) {
        throw Error(Status::Internal, "config edit left \"cloud\" not an object");
    }
    replace_file_atomically(target, serialize(doc, raw.HasParseError() ? nullptr : &raw), 0600);
}

void ConfigStore::save_login(std::string_view api_key, std::string_view login_session_id,
                             std::string_view base_url) {
    if (trim(api_key).empty()) throw Error(Status::InvalidArgument, "API key is empty");
    update_cloud([api_key, login_session_id, base_url](json::Value &cloud,
                                                       json::Document::AllocatorType &alloc) {
        json::set(cloud, "apiKey", json::string_value(api_key, alloc), alloc);
        json::set(cloud, "enabled", json::Value(true), alloc);
        // The session that handed the key out: what a logout revokes it by (E§1.5).
        while (cloud.EraseMember("loginSessionId")) {
        }
        if (!login_session_id.empty())
            json::set(cloud, "loginSessionId", json::string_value(login_session_id, alloc), alloc);
        // The cloud that issued the key: it is sent to no other (a key minted by a local
        // emulator never reaches the real cloud).
        while (cloud.EraseMember("apiKeyBaseUrl")) {
        }
        if (!base_url.empty())
            json::set(cloud, "apiKeyBaseUrl", json::string_value(base_url, alloc), alloc);
    });
    warn_if_directory_open(write_target(path_));
}

void ConfigStore::clear_login() {
    update_cloud([](json::Value &cloud, json::Document::AllocatorType &alloc) {
        // EraseMember keeps the order of the other members (RemoveMember would not); a
        // hand-edited file may even hold the key twice.
        while (cloud.EraseMember("apiKey")) {
        }
        while (cloud.EraseMember("loginSessionId")) {
        }
        while (cloud.EraseMember("apiKeyBaseUrl")) {
        }
        json::set(cloud, "enabled", json::Value(false), alloc);
    });
}

}  // namespace elizacloud
