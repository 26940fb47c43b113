#include "cloud_handle.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "callback.hpp"
#include "ec_error.hpp"

namespace ecpy {

namespace {

const char *c_str(const std::optional<std::string> &s) {
    return c_arg(s);
}

// Every timing field of ec_cloud_options, by its C name.
void set_timing(ec_cloud_options &o, const std::string &name, int64_t v) {
    auto i32 = [&](int32_t &field) {
        if (v < 0 || v > INT32_MAX) throw std::invalid_argument(name + " out of range");
        field = static_cast<int32_t>(v);
    };
    if (v < 0) throw std::invalid_argument(name + " must not be negative");
    if (name == "heartbeat_interval_ms")
        o.heartbeat_interval_ms = v;
    else if (name == "heartbeat_max_failures")
        i32(o.heartbeat_max_failures);
    else if (name == "reconnect_initial_delay_ms")
        o.reconnect_initial_delay_ms = v;
    else if (name == "reconnect_max_delay_ms")
        o.reconnect_max_delay_ms = v;
    else if (name == "reconnect_max_attempts")
        i32(o.reconnect_max_attempts);
    else if (name == "backup_interval_ms")
        o.backup_interval_ms = v;
    else if (name == "final_snapshot_timeout_ms")
        o.final_snapshot_timeout_ms = v;
    else if (name == "login_poll_interval_ms")
        o.login_poll_interval_ms = v;
    else if (name == "login_timeout_ms")
        o.login_timeout_ms = v;
    else if (name == "request_timeout_ms")
        o.request_timeout_ms = v;
    else if (name == "send_timeout_ms")
        o.send_timeout_ms = v;
    else if (name == "stream_idle_timeout_ms")
        o.stream_idle_timeout_ms = v;
    else if (name == "job_poll_interval_ms")
        o.job_poll_interval_ms = v;
    else if (name == "job_timeout_ms")
        o.job_timeout_ms = v;
    else
        throw std::invalid_argument("unknown timing '" + name + "'; known: " + timing_names());
}

}  // namespace

const char *timing_names() {
    return "heartbeat_interval_ms, heartbeat_max_failures, reconnect_initial_delay_ms, "
           "reconnect_max_delay_ms, reconnect_max_attempts, backup_interval_ms, "
           "final_snapshot_timeout_ms, login_poll_interval_ms, login_timeout_ms, "
           "request_timeout_ms, send_timeout_ms, stream_idle_timeout_ms, job_poll_interval_ms, "
           "job_timeout_ms";
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
