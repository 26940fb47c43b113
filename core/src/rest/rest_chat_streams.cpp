#include "rest/rest_chat_streams.hpp"

#include <algorithm>
#include <utility>

namespace elizacloud {

bool RestChatStreams::spawn(std::function<void()> body) {
    std::lock_guard<std::mutex> lock(mutex_);
    // Finished threads are joined here (at once: they have returned), so none piles up.
    auto finished = std::stable_partition(workers_.begin(), workers_.end(),
                                          [](const Worker &w) { return !w.done->load(); });
    for (auto it = finished; it != workers_.end(); ++it) it->thread.join();
    workers_.erase(finished, workers_.end());
    if (workers_.size() >= max_streams_) return false;
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::thread thread([body = std::move(body), done] {
        try {
            body();
        } catch (...) {  // a body answers its stream itself; nothing may end the process
        }
        done->store(true);
    });
    workers_.push_back(Worker{std::move(thread), std::move(done)});
    return true;
}

void RestChatStreams::join_all() {
    std::vector<Worker> workers;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        workers.swap(workers_);
    }
    for (auto &w : workers) w.thread.join();
}

}  // namespace elizacloud
