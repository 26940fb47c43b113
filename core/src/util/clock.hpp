// Time source for the engine's timers. The steady clock in production; a manual clock in tests
// so exact sequences (heartbeat thresholds, backoff delays) run without real waiting.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace elizacloud {

class Clock {
public:
    virtual ~Clock() = default;
    // Milliseconds on a monotonic scale.
    virtual int64_t now_ms() const = 0;
    // True when time only moves through advance(): the engine then never sleeps on a timeout.
    virtual bool is_manual() const { return false; }
};

class SteadyClock final : public Clock {
public:
    int64_t now_ms() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
};

// Time stands still until advance(). Engines using it register a wake-up so that timers due at
// the new time fire promptly.
class ManualClock final : public Clock {
public:
    explicit ManualClock(int64_t start_ms = 0) : now_(start_ms) {}
    int64_t now_ms() const override { return now_.load(); }
    bool is_manual() const override { return true; }

    void advance(int64_t ms) {
        now_.fetch_add(ms);
        std::vector<std::function<void()>> listeners;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            listeners = listeners_;
        }
        for (auto &wake : listeners) wake();
    }

    void on_advance(std::function<void()> wake) {
        std::lock_guard<std::mutex> lock(mutex_);
        listeners_.push_back(std::move(wake));
    }

private:
    std::atomic<int64_t> now_;
    std::mutex mutex_;
    std::vector<std::function<void()>> listeners_;
};

}  // namespace elizacloud
