// The engine's timers, used on its I/O thread only: ordered by due time, then by kind (drain
// fences after user timers due at the same moment), then by insertion.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

namespace elizacloud {

using TimerId = uint64_t;

class TimerQueue {
public:
    // Shared so that a callback may cancel its own timer while it runs.
    using Callback = std::shared_ptr<std::function<void()>>;
    enum class Kind : int { User = 0, Fence = 1 };

    void insert(TimerId id, int64_t due, Kind kind, int64_t repeat_ms, Callback fn);
    // The kind of the timer removed; nullopt when there was none with that id.
    std::optional<Kind> erase(TimerId id);
    bool contains(TimerId id) const { return timers_.count(id) != 0; }

    struct Fired {
        Kind kind;
        bool finished;  // one-shot: gone from the queue now
        Callback fn;
    };
    // Takes the first timer due at or before now; a repeating one is re-armed one period after
    // its due time (a manual clock replays every period it jumped over; real time does not
    // burst after the process was suspended). nullopt when nothing is due.
    std::optional<Fired> pop_due(int64_t now, bool manual_clock);
    std::optional<int64_t> next_due() const;
    void clear();

private:
    struct Key {
        int64_t due;
        Kind kind;
        uint64_t seq;
        TimerId id;
        bool operator<(const Key &o) const;
    };
    struct Timer {
        Key key;
        int64_t repeat_ms;
        Callback fn;
    };
    std::set<Key> order_;
    std::unordered_map<TimerId, Timer> timers_;
    uint64_t seq_ = 0;
};

}  // namespace elizacloud
