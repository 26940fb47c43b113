#include "cloud_handle.hpp"

#include <fcntl.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "callback.hpp"
#include "ec_error.hpp"

namespace ecpy {

namespace {

const char *c_str(const std::optional<std::string> &s) {
    return c_arg(s);
}

// The options of the "timings" group, from the core's options table (the catalogue).
const std::vector<std::string> &timing_list() {
    static const std::vector<std::string> names = [] {
        char *out = nullptr;
        check(ec_cloud_operations_json(&out));
        const std::string text = out ? out : "";
        ec_free(out);
        rapidjson::Document doc;
        doc.Parse(text.c_str());
        std::vector<std::string> found;
        for (const auto &option : doc["options"].GetArray())
            if (option["timing"].GetBool()) found.emplace_back(option["name"].GetString());
        return found;
    }();
    return names;
}

// One timing by its C name, through the core's table (ec_cloud_options_set checks the range).
void set_timing(ec_cloud_options &o, const std::string &name, int64_t v) {
    const auto &names = timing_list();
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw std::invalid_argument("unknown timing '" + name + "'; known: " + timing_names());
    if (v < 0) throw std::invalid_argument(name + " must not be negative");
    const std::string text = std::to_string(v);
    if (ec_cloud_options_set(&o, name.c_str(), text.c_str()) != EC_OK)
        throw std::invalid_argument(name + " out of range");
}

}  // namespace

const char *timing_names() {
    static const std::string joined = [] {
        std::string out;
        for (const auto &name : timing_list()) out += (out.empty() ? "" : ", ") + name;
        return out;
    }();
    return joined.c_str();
}

CloudHandle::CloudHandle(const CloudOptions &options) {
    ec_cloud_options o;
    check(ec_cloud_options_init(&o, sizeof o));
    o.base_url = c_str(options.base_url);
    o.api_key = c_str(options.api_key);
    o.config_path = c_str(options.config_path);
    o.ca_file = c_str(options.ca_file);
    o.allowed_hosts = c_str(options.allowed_hosts);
    o.no_config_file = options.no_config_file ? 1 : 0;
    // Explicit False is -1: it wins over ELIZACLOUD_INSECURE_LOCAL and cloud.insecureLocal.
    o.insecure_local = options.insecure_local ? (*options.insecure_local ? 1 : -1) : 0;
    o.forward_logs = options.forward_logs ? 1 : 0;
    o.event_queue_capacity = options.event_queue_capacity;
    for (const auto &[name, value] : options.timings) set_timing(o, name, value);
    for (const auto &[name, value] : options.strings) {
        // Borrowed by o until ec_cloud_create returns: options outlives this constructor.
        if (ec_cloud_options_set(&o, c_arg(name), c_arg(value)) != EC_OK)
            throw EcError(EC_ERR_INVALID_ARGUMENT, ec_last_error_message());
    }

    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    stop_read_ = fds[0];
    stop_write_ = fds[1];
    ec_status s = ec_cloud_create(&o, &cloud_);
    if (s != EC_OK) {
        EcError err(s, ec_last_error_message());
        ::close(stop_read_);
        ::close(stop_write_);
        throw err;
    }
    event_fd_ = ec_cloud_event_fd(cloud_);
}

CloudHandle::~CloudHandle() {
    close();
    ::close(stop_read_);
    ::close(stop_write_);
}

CloudHandle::Lease::Lease(CloudHandle &h) : handle_(h) {
    std::lock_guard<std::mutex> lock(h.mutex_);
    if (h.cloud_ == nullptr || h.closing_)
        throw EcError(EC_ERR_INVALID_ARGUMENT, "the cloud is closed");
    cloud_ = h.cloud_;
    ++h.inflight_;
}

CloudHandle::Lease::~Lease() {
    std::lock_guard<std::mutex> lock(handle_.mutex_);
    if (--handle_.inflight_ == 0) handle_.idle_.notify_all();
}

void CloudHandle::close() {
    ec_cloud *cloud = nullptr;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (closing_) {
            idle_.wait(lock, [&] { return cloud_ == nullptr; });
            return;
        }
        if (cloud_ == nullptr) return;
        closing_ = true;
        const char byte = 1;
        [[maybe_unused]] ssize_t n = write(stop_write_, &byte, 1);  // ends wait_event() calls
        idle_.wait(lock, [&] { return inflight_ == 0; });
        cloud = cloud_;
    }
    if (in_library_callback()) {
        // The ABI refuses to destroy a cloud from inside its own callback (the dispatcher would
        // join itself): the last reference dropped there hands the destroy to a thread, which
        // must not touch this object (it is about to be freed).
        {
            std::lock_guard<std::mutex> lock(mutex_);
            cloud_ = nullptr;
            event_fd_ = -1;
            idle_.notify_all();
        }
        std::thread([cloud] { ec_cloud_destroy(cloud); }).detach();
        return;
    }
    destroy_now(cloud);
}

void CloudHandle::destroy_now(ec_cloud *cloud) {
    ec_cloud_destroy(cloud);
    std::lock_guard<std::mutex> lock(mutex_);
    cloud_ = nullptr;
    event_fd_ = -1;
    idle_.notify_all();
}

bool CloudHandle::closed() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cloud_ == nullptr || closing_;
}

int CloudHandle::event_fd() {
    Lease lease(*this);
    return event_fd_;
}

namespace {
std::optional<Event> take_event(ec_cloud *cloud) {
    ec_event *ev = nullptr;
    ec_status s = ec_cloud_next_event(cloud, &ev);
    if (s == EC_ERR_EMPTY) return std::nullopt;
    check(s);
    Event copy(*ev);
    ec_event_free(ev);
    return copy;
}
}  // namespace

std::optional<Event> CloudHandle::next_event() {
    Lease lease(*this);
    return take_event(lease.get());
}

std::vector<Event> CloudHandle::next_events(size_t max) {
    // One ABI call (one queue lock) for up to 256 events at a time.
    constexpr size_t kBatch = 256;
    Lease lease(*this);
    std::vector<Event> out;
    ec_event *batch[kBatch];
    while (out.size() < max) {
        size_t n = 0;
        const ec_status s =
            ec_cloud_next_events(lease.get(), batch, std::min(kBatch, max - out.size()), &n);
        if (s == EC_ERR_EMPTY) break;
        check(s);
        out.reserve(out.size() + n);
        for (size_t i = 0; i < n; ++i) {
            out.emplace_back(*batch[i]);
            ec_event_free(batch[i]);
        }
    }
    return out;
}

std::optional<Event> CloudHandle::wait_event(int32_t timeout_ms) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms);
    // One lease for the whole wait keeps the wake fd open; close() signals the stop pipe first
    // and only then waits for leases, so this returns promptly.
    Lease lease(*this);
    const int fd = ec_cloud_event_fd(lease.get());
    for (;;) {
        if (auto ev = take_event(lease.get())) return ev;
        int wait_ms = -1;
        if (timeout_ms >= 0) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
            if (left.count() <= 0) return std::nullopt;
            wait_ms = static_cast<int>(left.count());
        }
        pollfd fds[2] = {{fd, POLLIN, 0}, {stop_read_, POLLIN, 0}};
        if (poll(fds, 2, wait_ms) < 0 && errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "poll");
        if (fds[1].revents != 0) return std::nullopt;  // the handle is closing
    }
}

}  // namespace ecpy
