#include "log_queue.hpp"

#include <elizacloud/elizacloud.h>
#include <fcntl.h>
#include <unistd.h>

#include <system_error>

namespace ecpy {

namespace {
void sink(int32_t level, const char *line, void *) {
    LogQueue::instance().push(level, line);
}
}  // namespace

LogQueue &LogQueue::instance() {
    static LogQueue *queue = new LogQueue();  // intentionally leaked, see the header
    return *queue;
}

LogQueue::LogQueue() {
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    read_fd_ = fds[0];
    write_fd_ = fds[1];
}

void LogQueue::install() {
    ec_log_set_sink(&sink, nullptr, nullptr);
}

void LogQueue::push(int32_t level, const char *line) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (lines_.size() >= kCapacity) {
        lines_.pop_front();
        ++dropped_;
    }
    lines_.emplace_back(level, line ? line : "");
    if (!signalled_) {
        signalled_ = true;
        const char byte = 1;
        // A full pipe already means "readable"; nothing else to do on failure.
        [[maybe_unused]] ssize_t n = write(write_fd_, &byte, 1);
    }
}

std::vector<std::pair<int32_t, std::string>> LogQueue::drain() {
    std::vector<std::pair<int32_t, std::string>> out;
    std::lock_guard<std::mutex> lock(mutex_);
    if (dropped_ != 0) {
        out.emplace_back(EC_LOG_WARN,
                         std::to_string(dropped_) + " log lines dropped (log queue full)");
        dropped_ = 0;
    }
    out.insert(out.end(), std::make_move_iterator(lines_.begin()),
               std::make_move_iterator(lines_.end()));
    lines_.clear();
    char buf[64];
    while (read(read_fd_, buf, sizeof buf) > 0) {
    }
    signalled_ = false;
    return out;
}

}  // namespace ecpy
