// The HTTP engine: one I/O thread per engine running libcurl's multi interface
// (curl_multi_poll / curl_multi_wakeup) and a timer heap. All network I/O and all timers of every
// component sharing the engine run in its I/O context: on that thread, or on a synchronous caller
// that runs its own operation (run_inline); nothing there blocks or runs host code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http.hpp"
#include "net/url_policy.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"

namespace elizacloud {

using TimerId = uint64_t;

// Requests (and so connections) the engine runs to one host at once; docs/c-api.md says why 32.
constexpr int kDefaultMaxHostConnections = 32;
// How long a request may wait for one of those slots before it fails with Timeout.
constexpr int kDefaultQueueTimeoutMs = 120'000;

struct EngineOptions {
    std::string ca_file;                      // empty = system CAs
    std::shared_ptr<const UrlPolicy> policy;  // null = UrlPolicy with default options
    std::shared_ptr<Clock> clock;             // null = SteadyClock
    std::string user_agent;                   // empty = "elizacloud/<version>"
    // Requests running to one host (scheme, name and port) at once, and so open connections to
    // it, at most; more wait in a first-come-first-served queue and reuse the connections.
    // 0 = no limit.
    int max_host_connections = kDefaultMaxHostConnections;
    // A request that waited this long for a slot fails with Timeout (its own timeouts have not
    // started yet). > 0.
    int queue_timeout_ms = kDefaultQueueTimeoutMs;
};

// [I/O thread, inside an HttpRequest::on_data call] Back-pressure from a stream's consumer that
// is falling behind: the transfer whose on_data is running takes no further body bytes (libcurl
// pauses it and keeps them; TCP or HTTP/2 flow control then holds the sender) until
// Engine::resume_paused() finds `ready` true. The bytes of the current call are still consumed.
// Outside on_data it does nothing. Free-standing so that the layers between a transfer and the
// consumer of its chunks need not carry it.
void pause_current_transfer(std::function<bool()> ready);

class Engine {
public:
    static std::shared_ptr<Engine> create(EngineOptions options = {});
    // Cancels every request (their completions run with Cancelled), drops every timer, joins the
    // I/O thread. Must not be called on the I/O thread.
    ~Engine();

    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    // [any thread] Queue a request; the completion runs on the I/O thread.
    RequestId submit(HttpRequest request, Completion on_complete);
    // [any thread] Cancel a request; its completion runs with Status::Cancelled unless it has
    // already completed. Unknown ids are ignored.
    void cancel(RequestId id);

    // [any thread] Run fn on the I/O thread after delay_ms, then every repeat_ms if > 0.
    TimerId set_timer(int64_t delay_ms, std::function<void()> fn, int64_t repeat_ms = 0);
    // [any thread] From the I/O thread the callback is guaranteed not to run afterwards; from
    // another thread, a callback already running may still finish.
    void cancel_timer(TimerId id);
    // [any thread] Run fn on the I/O thread as soon as possible (FIFO).
    void post(std::function<void()> fn);
    // [I/O thread] Runs fn once the current turn of the loop has run its callbacks (every
    // request that finished in it has completed), before the loop waits again: work that is
    // cheaper done once for all of them (the completions of a burst reach the event queue
    // together). Returns false, without running fn, anywhere but on the I/O thread itself.
    bool at_turn_end(std::function<void()> fn);
    // [any thread] Resumes the transfers paused by pause_current_transfer() whose consumer now
    // has room (their `ready` check answers true); the others stay paused.
    void resume_paused();
    // [any thread but the I/O thread] Block until every task posted and every timer due before
    // the call has run. Tests use it after ManualClock::advance().
    void drain();

    // [any thread but the I/O thread] For a synchronous caller that would otherwise hand its
    // operation to the I/O thread and sleep until it is done (two thread hops and their wake-ups
    // per request): runs start(), which launches the operation, with this thread acting as the
    // I/O context (Impl::loop_mutex held, in_io_thread() true), then runs the steps it posts and
    // performs its first plain request (one that collects its whole response) here, on a
    // connection of the caller's own that stays open for the next call; the completion runs
    // here too, as the I/O context. It stops once finished() answers true or nothing is left for
    // it; streams, timers, further requests and whatever another caller runs meanwhile go to the
    // I/O thread as usual, so the caller then waits for its outcome in the usual way. One
    // caller at a time takes this way; for the others it only runs start(). At deadline_ms
    // (steady clock, 0 = none) during the request, on_deadline() runs and the request stops as
    // cancelled — or, a GET or HEAD (which other operations may share), starts again on the
    // I/O thread with the same id and completion.
    void run_inline(const std::function<void()> &start, const std::function<bool()> &finished,
                    int64_t deadline_ms, const std::function<void()> &on_deadline);

    // The I/O thread, or a caller running as the I/O context inside run_inline().
    bool in_io_thread() const;
    const Clock &clock() const;
    const UrlPolicy &policy() const;
    // Figures for tests and benchmarks.
    size_t active_requests() const;
    size_t active_timers() const;
    // libcurl easy handles kept for the next requests.
    size_t idle_handles() const;
    // How often a request, task or timer handed in from another thread woke the loop.
    uint64_t wakeups() const;

private:
    struct Impl;
    explicit Engine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace elizacloud
