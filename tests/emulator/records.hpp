// The records of the breadth areas (apps, containers, API keys, documents, voices, A2A tasks,
// checkouts, billing settings): JSON records per organisation, by kind, in creation order.
// Thread-safe; cleared by POST /__emulator/reset. Not part of the state file.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace emu {

struct Record {
    std::string id, org_id;
    std::string json;  // the record as the routes answer it
    int64_t created_ms = 0;
    uint64_t seq = 0;
};

class Records {
public:
    void put(const std::string &kind, Record r);
    // Another organisation's record is absent.
    std::optional<Record> get(const std::string &kind, const std::string &org_id,
                              const std::string &id) const;
    std::vector<Record> list(const std::string &kind, const std::string &org_id) const;
    bool erase(const std::string &kind, const std::string &org_id, const std::string &id);
    // Edits a record's JSON in place; nullopt when absent.
    std::optional<Record> update(const std::string &kind, const std::string &org_id,
                                 const std::string &id,
                                 const std::function<void(rapidjson::Document &)> &edit);
    void clear();

private:
    mutable std::mutex mu_;
    uint64_t seq_ = 0;
    std::map<std::string, std::map<std::string, Record>> kinds_;
};

// Sets (or replaces) doc[key] to a copy of v.
void set_member(rapidjson::Document &doc, const char *key, const rapidjson::Value &v);
void set_member(rapidjson::Document &doc, const char *key, const std::string &v);

}  // namespace emu
