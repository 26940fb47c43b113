// The threads behind POST /api/cloud/chat/stream. The dispatcher answers at once with an event
// stream; the chat's operation then runs to its end on a thread of its own, pushing each chunk
// into the stream as it arrives. Bounded, and joined when the dispatcher shuts down (after its
// operations were cancelled, so every thread is about to end).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace elizacloud {

class RestChatStreams {
public:
    explicit RestChatStreams(size_t max_streams) : max_streams_(max_streams) {}
    ~RestChatStreams() { join_all(); }
    RestChatStreams(const RestChatStreams &) = delete;
    RestChatStreams &operator=(const RestChatStreams &) = delete;

    // Runs body on a new thread; false (and body is not run) when max_streams still run.
    bool spawn(std::function<void()> body);
    // Waits for every thread started so far.
    void join_all();

private:
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    const size_t max_streams_;
    std::mutex mutex_;
    std::vector<Worker> workers_;
};

}  // namespace elizacloud
