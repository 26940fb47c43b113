#include "rest/rest_login_sessions.hpp"

#include <chrono>
#include <utility>

namespace elizacloud {

LoginSessions::LoginSessions(int64_t ttl_ms, size_t capacity, Now now)
    : ttl_ms_(ttl_ms > 0 ? ttl_ms : 600'000),
      capacity_(capacity > 0 ? capacity : 1),
      now_(now ? std::move(now) : [] {
          return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
      }) {}

void LoginSessions::add(const std::string &id) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sessions_.size() >= capacity_) evict_oldest_locked();
    sessions_[id] = Session{now_(), false};
}

void LoginSessions::set_ttl_ms(int64_t ttl_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ttl_ms > 0) ttl_ms_ = ttl_ms;
}

void LoginSessions::evict_oldest_locked() {
    auto oldest = sessions_.end();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
        if (it->second.polling) continue;
        if (oldest == sessions_.end() || it->second.created_ms < oldest->second.created_ms)
            oldest = it;
    }
    if (oldest != sessions_.end()) sessions_.erase(oldest);
}

LoginSessions::Claim LoginSessions::claim(const std::string &id) {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        auto it = sessions_.find(id);
        if (it == sessions_.end()) return {};
        if (now_() - it->second.created_ms > ttl_ms_) {
            if (!it->second.polling) sessions_.erase(it);
            return {};
        }
        if (!it->second.polling) {
            it->second.polling = true;
            return Claim(this, id, generation_);
        }
        idle_.wait(lock);  // the other poll finishes or releases; then look again
    }
}

void LoginSessions::release(const std::string &id, bool finished) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = sessions_.find(id);
        if (it != sessions_.end()) {
            if (finished) {
                sessions_.erase(it);
            } else {
                it->second.polling = false;
            }
        }
    }
    idle_.notify_all();
}

void LoginSessions::clear() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++generation_;
        sessions_.clear();
    }
    idle_.notify_all();
}

size_t LoginSessions::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sessions_.size();
}

LoginSessions::Claim::Claim(Claim &&other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)),
      id_(std::move(other.id_)),
      generation_(other.generation_) {}

LoginSessions::Claim::~Claim() {
    if (owner_) owner_->release(id_, false);
}

bool LoginSessions::Claim::finish(const std::function<void()> &adopt) {
    if (!owner_) return false;
    LoginSessions *owner = std::exchange(owner_, nullptr);
    bool adopted = false;
    {
        // Under the lock so that a clear() (disconnect) lands entirely before or after it.
        std::lock_guard<std::mutex> lock(owner->mutex_);
        if (owner->generation_ == generation_) {
            if (adopt) adopt();
            adopted = true;
        }
        owner->sessions_.erase(id_);
    }
    owner->idle_.notify_all();
    return adopted;
}

}  // namespace elizacloud
