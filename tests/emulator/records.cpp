#include "records.hpp"

#include <algorithm>

#include "json_util.hpp"
#include "util.hpp"

namespace emu {

void Records::put(const std::string &kind, Record r) {
    std::lock_guard lock(mu_);
    r.seq = ++seq_;
    if (r.created_ms == 0) r.created_ms = now_ms();
    const std::string id = r.id;
    kinds_[kind][id] = std::move(r);
}

std::optional<Record> Records::get(const std::string &kind, const std::string &org_id,
                                   const std::string &id) const {
    std::lock_guard lock(mu_);
    auto k = kinds_.find(kind);
    if (k == kinds_.end()) return std::nullopt;
    auto it = k->second.find(id);
    if (it == k->second.end() || it->second.org_id != org_id) return std::nullopt;
    return it->second;
}

std::vector<Record> Records::list(const std::string &kind, const std::string &org_id) const {
    std::vector<Record> out;
    {
        std::lock_guard lock(mu_);
        auto k = kinds_.find(kind);
        if (k == kinds_.end()) return out;
        for (const auto &[id, r] : k->second)
            if (r.org_id == org_id) out.push_back(r);
    }
    std::sort(out.begin(), out.end(),
              [](const Record &a, const Record &b) { return a.seq < b.seq; });
    return out;
}

bool Records::erase(const std::string &kind, const std::string &org_id, const std::string &id) {
    std::lock_guard lock(mu_);
    auto k = kinds_.find(kind);
    if (k == kinds_.end()) return false;
    auto it = k->second.find(id);
    if (it == k->second.end() || it->second.org_id != org_id) return false;
    k->second.erase(it);
    return true;
}

std::optional<Record> Records::update(const std::string &kind, const std::string &org_id,
                                      const std::string &id,
                                      const std::function<void(rapidjson::Document &)> &edit) {
    std::lock_guard lock(mu_);
    auto k = kinds_.find(kind);
    if (k == kinds_.end()) return std::nullopt;
    auto it = k->second.find(id);
    if (it == k->second.end() || it->second.org_id != org_id) return std::nullopt;
    rapidjson::Document doc;
    if (!parse_json(it->second.json, doc) || !doc.IsObject()) doc.SetObject();
    edit(doc);
    it->second.json = to_json(doc);
    return it->second;
}

void Records::clear() {
    std::lock_guard lock(mu_);
    kinds_.clear();
}

void set_member(rapidjson::Document &doc, const char *key, const rapidjson::Value &v) {
    doc.RemoveMember(key);
    doc.AddMember(rapidjson::Value(key, doc.GetAllocator()),
                  rapidjson::Value(v, doc.GetAllocator()), doc.GetAllocator());
}

void set_member(rapidjson::Document &doc, const char *key, const std::string &v) {
    set_member(doc, key, rapidjson::Value(v.c_str(), doc.GetAllocator()));
}

}  // namespace emu
