// RAII owner of one ec_cloud for Python. The ABI forbids destroying a handle while another call
// on it is running, and Python lets any thread call close() at any time, so every call takes a
// lease and close() waits until the leases are gone. Event waits poll the wake fd together with a
// private stop pipe, so close() can end them at once instead of waiting for an event.
#pragma once

#include <elizacloud/elizacloud.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "event.hpp"

namespace ecpy {

struct CloudOptions {
    std::optional<std::string> base_url, api_key, config_path, ca_file, allowed_hosts;
    bool no_config_file = false;
    std::optional<bool> insecure_local;  // None = the environment decides
    bool forward_logs = false;
    uint32_t event_queue_capacity = 0;
    std::map<std::string, int64_t> timings;  // ec_cloud_options field name → milliseconds/count
    // More string options by their ec_cloud_options name (confirm_price, site_url …), set
    // through ec_cloud_options_set, which knows them from the options table.
    std::map<std::string, std::string> strings;
};

class CloudHandle {
public:
    explicit CloudHandle(const CloudOptions &options);
    ~CloudHandle();
    CloudHandle(const CloudHandle &) = delete;
    CloudHandle &operator=(const CloudHandle &) = delete;

    // Keeps the handle alive for the duration of one ABI call; throws EcError when closed.
    class Lease {
    public:
        explicit Lease(CloudHandle &h);
        ~Lease();
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        ec_cloud *get() const { return cloud_; }

    private:
        CloudHandle &handle_;
        ec_cloud *cloud_;
    };

    // [GIL released] Wakes event waiters, waits for running calls, destroys. Idempotent.
    void close();
    bool closed();
    int event_fd();
    // [GIL released] Next event within timeout_ms (-1 = forever); nullopt on timeout or close.
    std::optional<Event> wait_event(int32_t timeout_ms);
    std::optional<Event> next_event();
    // What is queued now, up to max events ([] when none).
    std::vector<Event> next_events(size_t max);

private:
    void destroy_now(ec_cloud *cloud);

    std::mutex mutex_;
    std::condition_variable idle_;
    ec_cloud *cloud_ = nullptr;
    int inflight_ = 0;
    bool closing_ = false;
    int event_fd_ = -1;
    int stop_read_ = -1;
    int stop_write_ = -1;
};

// Names accepted in CloudOptions::timings (for error messages and the stubs' documentation).
const char *timing_names();

}  // namespace ecpy
