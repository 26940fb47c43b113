// The process-wide ABI log sink, as a queue. Library threads only push C++ strings here and
// signal a pipe; Python drains the queue on its own threads (a cloud's event pump, or asyncio's
// add_reader) and hands the lines to logging.getLogger("elizacloud"). So no library thread ever
// needs the GIL to log, and logging keeps working while the interpreter shuts down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ecpy {

class LogQueue {
public:
    // Created on first use and never destroyed: library threads may still log while the process
    // runs its static destructors.
    static LogQueue &instance();

    // [any thread] Installs push() as the ABI's log sink.
    void install();
    // [any thread, no GIL needed] Queues a line; drops the oldest when full, counting them.
    void push(int32_t level, const char *line);
    // [any thread] Takes every queued line, oldest first.
    std::vector<std::pair<int32_t, std::string>> drain();
    // Read end of a non-blocking pipe, readable while lines are queued.
    int fd() const { return read_fd_; }

    static constexpr size_t kCapacity = 10000;

private:
    LogQueue();
    std::mutex mutex_;
    std::deque<std::pair<int32_t, std::string>> lines_;
    uint64_t dropped_ = 0;
    bool signalled_ = false;
    int read_fd_ = -1;
    int write_fd_ = -1;
};

}  // namespace ecpy
