// The engine's per-host admission: at most `cap` requests of one host (scheme, name and port) run
// at a time; the others wait here, first come first served, and take over a slot as soon as one
// of their host's requests ends. libcurl can queue by itself (CURLMOPT_MAX_HOST_CONNECTIONS), but
// its queue neither times out nor tells when a request leaves it, so a request's timeouts would
// run during the wait; here they start only once the request runs. I/O thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "net/transfer.hpp"

namespace elizacloud {

// "HTTPS://Api.Example:443/x?y" → "https://api.example:443": what one connection pool serves.
std::string host_key(std::string_view url);
// The same, into key (its capacity reused).
void host_key(std::string_view url, std::string &key);

class HostQueue {
public:
    explicit HostQueue(int cap) : cap_(cap) {}  // cap <= 0: no limit

    // Takes a slot of t's host when one is free (t->holds_slot becomes true) and returns t;
    // otherwise parks t and returns null.
    std::unique_ptr<Transfer> admit(std::unique_ptr<Transfer> t, int64_t now_ms);
    // A request holding a slot of this URL's host ended: the slot passes to the host's
    // longest-waiting request, returned holding it, or is freed (null).
    std::unique_ptr<Transfer> release(std::string_view url);
    // Removes a waiting request (cancelled); null when it is not waiting.
    std::unique_ptr<Transfer> remove(RequestId id);
    // Removes and returns the requests waiting since before `parked_before_ms`.
    std::vector<std::unique_ptr<Transfer>> take_expired(int64_t parked_before_ms);
    // Removes and returns every waiting request (shutdown).
    std::vector<std::unique_ptr<Transfer>> take_all();
    // When the longest-waiting request was parked; -1 when none waits.
    int64_t oldest_parked_ms() const;
    size_t waiting() const { return index_.size(); }

private:
    struct Waiting {
        std::unique_ptr<Transfer> transfer;
        int64_t since_ms = 0;
    };
    struct Host {
        int running = 0;
        std::list<Waiting> waiting;  // oldest first
    };
    struct Where {
        Host *host;
        std::list<Waiting>::iterator it;
    };

    // Looked up by string_view (the key_ buffer), without a std::string per lookup.
    struct KeyHash {
        using is_transparent = void;
        size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
    };
    static constexpr size_t kKeptIdleHosts = 16;

    int cap_;
    std::string key_;  // host_key's buffer
    // Node-based: Host pointers stay valid.
    std::unordered_map<std::string, Host, KeyHash, std::equal_to<>> hosts_;
    std::unordered_map<RequestId, Where> index_;  // waiting requests, for remove()
};

}  // namespace elizacloud
