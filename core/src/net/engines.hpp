// Engines as the C ABI hands them out: ec_engine handles created by the host, and the shared
// default engines used by clouds created without one. A default engine is shared by every cloud
// that needs the same settings (CA bundle, insecure_local, extra hosts) and lives as long as one
// of them does: the clouds hold the references, nothing static does, so no thread is joined
// during static destruction.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/engine.hpp"

namespace elizacloud {

struct EngineSpec {
    std::string ca_file;  // empty = system CAs
    // true/false as asked; unset = ELIZACLOUD_INSECURE_LOCAL=1 (resolved, and warned about, here)
    std::optional<bool> insecure_local;
    std::vector<std::string> allowed_hosts;                 // added to the default allow-list
    int max_host_connections = kDefaultMaxHostConnections;  // 0 = no limit
};

// "a.example, b.example" → {"a.example", "b.example"}; NULL or blank → {}.
std::vector<std::string> split_hosts(const char *list);

// A new engine with its own I/O thread.
std::shared_ptr<Engine> make_engine(EngineSpec spec);
// The engine shared by every cloud with this spec; created on first use.
std::shared_ptr<Engine> shared_engine(EngineSpec spec);

}  // namespace elizacloud

// The opaque handle of the header: one reference to an engine.
struct ec_engine {
    std::shared_ptr<elizacloud::Engine> engine;
};
