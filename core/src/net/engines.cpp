#include "net/engines.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

#include "net/url_policy.hpp"

namespace elizacloud {

std::vector<std::string> split_hosts(const char *list) {
    std::vector<std::string> hosts;
    if (!list) return hosts;
    std::string current;
    auto flush = [&] {
        const auto first = current.find_first_not_of(" \t");
        const auto last = current.find_last_not_of(" \t");
        if (first != std::string::npos) hosts.push_back(current.substr(first, last - first + 1));
        current.clear();
    };
    for (const char *p = list; *p; ++p) {
        if (*p == ',') {
            flush();
        } else {
            current.push_back(*p);
        }
    }
    flush();
    return hosts;
}

namespace {

void normalise(EngineSpec &spec) {
    spec.insecure_local = resolve_insecure_local(spec.insecure_local);
    std::sort(spec.allowed_hosts.begin(), spec.allowed_hosts.end());
    spec.allowed_hosts.erase(std::unique(spec.allowed_hosts.begin(), spec.allowed_hosts.end()),
                             spec.allowed_hosts.end());
}

std::shared_ptr<Engine> build(const EngineSpec &spec) {
    UrlPolicyOptions policy;
    policy.insecure_local = spec.insecure_local.value_or(false);
    policy.allowed_hosts.insert(policy.allowed_hosts.end(), spec.allowed_hosts.begin(),
                                spec.allowed_hosts.end());
    EngineOptions options;
    options.ca_file = spec.ca_file;
    options.max_host_connections = spec.max_host_connections;
    options.policy = std::make_shared<const UrlPolicy>(std::move(policy));
    return Engine::create(std::move(options));
}

}  // namespace

std::shared_ptr<Engine> make_engine(EngineSpec spec) {
    normalise(spec);
    return build(spec);
}

std::shared_ptr<Engine> shared_engine(EngineSpec spec) {
    normalise(spec);
    std::string key = spec.ca_file + '\n' + (spec.insecure_local.value_or(false) ? "1" : "0") +
                      '\n' + std::to_string(spec.max_host_connections);
    for (const auto &host : spec.allowed_hosts) key += '\n' + host;

    // Leaked on purpose: only weak references live here, and a static destructor must not race
    // a cloud created or destroyed by another thread during exit.
    static auto *mutex = new std::mutex;
    static auto *engines = new std::map<std::string, std::weak_ptr<Engine>>;
    std::lock_guard<std::mutex> lock(*mutex);
    for (auto it = engines->begin(); it != engines->end();) {
        it = it->second.expired() ? engines->erase(it) : std::next(it);
    }
    if (auto existing = (*engines)[key].lock()) return existing;
    auto engine = build(spec);
    (*engines)[key] = engine;
    return engine;
}

}  // namespace elizacloud
