#include "util/log_fanout.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <utility>

namespace elizacloud {

namespace {
const char *level_name(log::Level level) {
    switch (level) {
        case log::Level::Trace:
            return "trace";
        case log::Level::Debug:
            return "debug";
        case log::Level::Info:
            return "info";
        case log::Level::Warn:
            return "warning";
        case log::Level::Error:
            return "error";
        case log::Level::Off:
            break;
    }
    return "off";
}
}  // namespace

LogFanout &LogFanout::instance() {
    static auto *fanout = new LogFanout;  // leaked on purpose, see the header
    return *fanout;
}

void LogFanout::set_host_sink(ec_log_fn fn, void *user_data, void (*free_user_data)(void *)) {
    std::shared_ptr<HostSink> next;
    if (fn) {
        next = std::make_shared<HostSink>(fn, user_data, free_user_data);
    } else if (free_user_data) {
        free_user_data(user_data);  // handed over with no function that could ever use it
    }
    std::shared_ptr<HostSink> previous;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        previous = std::exchange(host_, std::move(next));
    }
    reinstall();
    // previous is released here, outside the lock; a call in progress keeps its own reference.
}

void LogFanout::add_queue(EventQueue *queue) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queues_.push_back(queue);
    }
    reinstall();
}

void LogFanout::remove_queue(EventQueue *queue) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queues_.erase(std::remove(queues_.begin(), queues_.end(), queue), queues_.end());
    }
    reinstall();
}

void LogFanout::reinstall() {
    // The decision is re-read under install_mutex_ so concurrent changes cannot apply in the
    // wrong order. mutex_ is not held across log::set_sink: that takes the facade's lock.
    std::lock_guard<std::mutex> install(install_mutex_);
    bool needed = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        needed = host_ || !queues_.empty();
    }
    if (needed == installed_) return;
    if (needed) {
        log::set_sink([this](log::Level level, std::string_view line) { deliver(level, line); });
    } else {
        log::set_sink(nullptr);
    }
    installed_ = needed;
}

void LogFanout::deliver(log::Level level, std::string_view line) {
    std::shared_ptr<HostSink> host;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        host = host_;
        if (!queues_.empty()) {
            Event event;
            event.type = EC_EVENT_LOG;
            event.log_level = static_cast<int32_t>(level);
            event.text.assign(line);
            for (EventQueue *queue : queues_) queue->push(event);
        }
    }
    if (host) {
        const std::string text(line);  // NUL-terminated for C
        host->fn(static_cast<int32_t>(level), text.c_str(), host->user_data);
    } else {
        // Forwarding is "also": the default stderr destination keeps getting the lines, in the
        // facade's own format.
        const auto now = std::chrono::system_clock::now();
        const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
            1000;
        std::tm local{};
        localtime_r(&seconds, &local);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
        std::fprintf(stderr, "[%s.%03d] [elizacloud] [%s] %.*s\n", stamp, static_cast<int>(ms),
                     level_name(level), static_cast<int>(line.size()), line.data());
    }
}

}  // namespace elizacloud
