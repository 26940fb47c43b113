// The login sessions the local REST API created (SPEC §3, gap G5). GET /api/cloud/login/status
// only polls ids that POST /api/cloud/login made in this process and that have not finished or
// expired, so a web page cannot make the agent adopt a key from a session an attacker
// authenticated. Polls of one id are serialised (the cloud hands the key out once), and a
// disconnect forgets every session so a login in flight cannot bring the key back.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace elizacloud {

class LoginSessions {
public:
    using Now = std::function<int64_t()>;  // monotonic milliseconds

    // ttl_ms: how long after creation a session may be polled; capacity: sessions kept at most
    // (the oldest idle one is forgotten to make room).
    explicit LoginSessions(int64_t ttl_ms = 600'000, size_t capacity = 64, Now now = {});

    void add(const std::string &id);
    // Applies to every session, the ones already tracked too.
    void set_ttl_ms(int64_t ttl_ms);

    // The right to poll one session, held for the duration of one poll.
    class Claim {
    public:
        Claim() = default;
        Claim(Claim &&other) noexcept;
        Claim &operator=(Claim &&other) = delete;
        Claim(const Claim &) = delete;
        ~Claim();  // releases without finishing: the session can be polled again
        explicit operator bool() const { return owner_ != nullptr; }

        // Ends the session. Runs adopt (under the table's lock) only when no clear() happened
        // since the claim was taken; returns whether it ran.
        bool finish(const std::function<void()> &adopt = {});

    private:
        friend class LoginSessions;
        Claim(LoginSessions *owner, std::string id, uint64_t generation)
            : owner_(owner), id_(std::move(id)), generation_(generation) {}
        LoginSessions *owner_ = nullptr;
        std::string id_;
        uint64_t generation_ = 0;
    };

    // Waits while another poll of id runs; an empty Claim when id is unknown, finished or
    // expired (an expired id is forgotten).
    Claim claim(const std::string &id);

    // Forgets every session (disconnect). Polls in flight finish without adopting their key.
    void clear();

    size_t size() const;

private:
    struct Session {
        int64_t created_ms = 0;
        bool polling = false;
    };
    void release(const std::string &id, bool finished);
    void evict_oldest_locked();

    int64_t ttl_ms_;  // under mutex_
    const size_t capacity_;
    Now now_;
    mutable std::mutex mutex_;
    std::condition_variable idle_;
    std::unordered_map<std::string, Session> sessions_;
    uint64_t generation_ = 0;  // bumped by clear()
};

}  // namespace elizacloud
