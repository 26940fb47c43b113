#include "net/host_queue.hpp"

#include <cstdint>
#include <utility>

#include "util/strings.hpp"

namespace elizacloud {

void host_key(std::string_view url, std::string &key) {
    size_t scheme_end = url.find("://");
    size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    // A loop, not find_first_of (a memchr of the set per character): twice per request.
    size_t end = start;
    while (end < url.size() && url[end] != '/' && url[end] != '?' && url[end] != '#') ++end;
    key.assign(url.substr(0, end));
    for (char &c : key) c = ascii_lower(c);
}

std::string host_key(std::string_view url) {
    std::string key;
    host_key(url, key);
    return key;
}

std::unique_ptr<Transfer> HostQueue::admit(std::unique_ptr<Transfer> t, int64_t now_ms) {
    host_key(t->request.url, key_);
    auto found = hosts_.find(std::string_view(key_));
    if (found == hosts_.end()) found = hosts_.emplace(key_, Host{}).first;
    Host &host = found->second;
    if (cap_ <= 0 || host.running < cap_) {
        ++host.running;
        t->holds_slot = true;
        return t;
    }
    RequestId id = t->id;
    host.waiting.push_back(Waiting{std::move(t), now_ms});
    index_[id] = Where{&host, std::prev(host.waiting.end())};
    return nullptr;
}

std::unique_ptr<Transfer> HostQueue::release(std::string_view url) {
    host_key(url, key_);
    auto found = hosts_.find(std::string_view(key_));
    if (found == hosts_.end()) return nullptr;
    Host &host = found->second;
    if (!host.waiting.empty()) {
        // The slot changes hands; the running count stays.
        std::unique_ptr<Transfer> next = std::move(host.waiting.front().transfer);
        host.waiting.pop_front();
        index_.erase(next->id);
        next->holds_slot = true;
        return next;
    }
    // An idle host is kept while few hosts are known (the next request to it then allocates
    // nothing); past that, idle hosts are not kept.
    if (--host.running <= 0 && hosts_.size() > kKeptIdleHosts) hosts_.erase(found);
    return nullptr;
}

std::unique_ptr<Transfer> HostQueue::remove(RequestId id) {
    auto found = index_.find(id);
    if (found == index_.end()) return nullptr;
    std::unique_ptr<Transfer> t = std::move(found->second.it->transfer);
    found->second.host->waiting.erase(found->second.it);
    index_.erase(found);
    return t;
}

std::vector<std::unique_ptr<Transfer>> HostQueue::take_expired(int64_t parked_before_ms) {
    std::vector<std::unique_ptr<Transfer>> expired;
    for (auto &[key, host] : hosts_) {
        while (!host.waiting.empty() && host.waiting.front().since_ms < parked_before_ms) {
            expired.push_back(std::move(host.waiting.front().transfer));
            host.waiting.pop_front();
            index_.erase(expired.back()->id);
        }
    }
    return expired;
}

std::vector<std::unique_ptr<Transfer>> HostQueue::take_all() {
    return take_expired(INT64_MAX);
}

int64_t HostQueue::oldest_parked_ms() const {
    int64_t oldest = -1;
    for (const auto &[key, host] : hosts_) {
        if (host.waiting.empty()) continue;
        int64_t since = host.waiting.front().since_ms;
        if (oldest < 0 || since < oldest) oldest = since;
    }
    return oldest;
}

}  // namespace elizacloud
