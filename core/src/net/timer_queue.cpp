#include "net/timer_queue.hpp"

#include <tuple>

namespace elizacloud {

bool TimerQueue::Key::operator<(const Key &o) const {
    return std::tie(due, kind, seq, id) < std::tie(o.due, o.kind, o.seq, o.id);
}

void TimerQueue::insert(TimerId id, int64_t due, Kind kind, int64_t repeat_ms, Callback fn) {
    Timer timer{Key{due, kind, ++seq_, id}, repeat_ms, std::move(fn)};
    order_.insert(timer.key);
    timers_.emplace(id, std::move(timer));
}

std::optional<TimerQueue::Kind> TimerQueue::erase(TimerId id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return std::nullopt;
    Kind kind = it->second.key.kind;
    order_.erase(it->second.key);
    timers_.erase(it);
    return kind;
}

std::optional<TimerQueue::Fired> TimerQueue::pop_due(int64_t now, bool manual_clock) {
    while (!order_.empty() && order_.begin()->due <= now) {
        Key key = *order_.begin();
        order_.erase(order_.begin());
        auto it = timers_.find(key.id);
        if (it == timers_.end()) continue;
        Timer &timer = it->second;
        Fired fired{key.kind, timer.repeat_ms <= 0, timer.fn};
        if (fired.finished) {
            timers_.erase(it);
        } else {
            int64_t next = key.due + timer.repeat_ms;
            if (!manual_clock && next <= now) next = now + timer.repeat_ms;
            timer.key = Key{next, key.kind, ++seq_, key.id};
            order_.insert(timer.key);
        }
        return fired;
    }
    return std::nullopt;
}

std::optional<int64_t> TimerQueue::next_due() const {
    if (order_.empty()) return std::nullopt;
    return order_.begin()->due;
}

void TimerQueue::clear() {
    order_.clear();
    timers_.clear();
}

}  // namespace elizacloud
