#include "net/engine.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "net/curl_errors.hpp"
#include "net/host_queue.hpp"
#include "net/timer_queue.hpp"
#include "net/transfer.hpp"
#include "util/log.hpp"

namespace elizacloud {
namespace {

// Upper bound of one idle wait. Wake-ups and timers always end a wait earlier; the bound only
// keeps a lost wake-up (a bug) from hanging the engine for ever.
constexpr int kIdleWaitMs = 3'600'000;
// Idle easy handles an engine keeps for reuse: as many as requests run to one host by default.
constexpr size_t kMaxIdleEasies = kDefaultMaxHostConnections;
// A reused handle is reset (and set up again) after a transfer that connected or failed, and at
// least this often: libcurl's count of silent reconnects can also grow when a retry found another
// kept-alive connection (see detach_transfer).
constexpr uint64_t kResetEvery = 256;

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
        if (rc != CURLE_OK) log::error("curl_global_init failed: {}", curl_easy_strerror(rc));
    });
}

// Runs a callback on the I/O thread; an exception must never unwind through libcurl or the loop.
template <typename F>
void run_guarded(const char *what, F &&fn) {
    try {
        fn();
    } catch (const std::exception &e) {
        log::error("{} threw: {}", what, e.what());
    } catch (...) {
        log::error("{} threw a non-standard exception", what);
    }
}

// curl_multi_wakeup for any thread, valid even after the engine is gone (ManualClock listeners
// cannot be unregistered and may outlive the engine).
struct Waker {
    std::mutex mutex;
    CURLM *multi = nullptr;

    void wake() {
        std::lock_guard<std::mutex> lock(mutex);
        if (multi) curl_multi_wakeup(multi);
    }
    void close() {
        std::lock_guard<std::mutex> lock(mutex);
        multi = nullptr;
    }
};

// A timer set or cancelled from another thread, applied by the loop right after it reads the
// clock (see run_due_timers).
struct TimerOp {
    TimerId id = 0;
    bool cancel = false;
    int64_t due = 0;
    TimerQueue::Kind kind = TimerQueue::Kind::User;
    int64_t repeat_ms = 0;
    TimerQueue::Callback fn;
};

// What a synchronous caller driving its own operation (Engine::run_inline) holds while it acts
// as the I/O context (Impl::loop_mutex held): the tasks and requests its steps handed to the
// engine, which it runs itself, and whether the loop must look again at its inbox, timers or
// host queue when the caller lets go of the I/O context.
struct Inline {
    const void *impl = nullptr;  // the Engine::Impl it drives
    bool wake_loop = false;
    std::vector<std::function<void()>> tasks;
    std::vector<std::unique_ptr<Transfer>> transfers;
    // What run_captured runs and takes this round, swapped with the two above: the vectors
    // and their capacity are kept from one call to the next (the Inline is the lane's).
    std::vector<std::function<void()>> running;
    std::vector<std::unique_ptr<Transfer>> taking;
};
thread_local Inline *t_inline = nullptr;

// Sets t_inline for a scope: the caller acts as the I/O context within it.
class InlineScope {
public:
    explicit InlineScope(Inline &state) : saved_(t_inline) { t_inline = &state; }
    ~InlineScope() { t_inline = saved_; }
    InlineScope(const InlineScope &) = delete;
    InlineScope &operator=(const InlineScope &) = delete;

private:
    Inline *saved_;
};

// The connection a synchronous caller's request runs on when it drives its own operation: one
// easy handle on a private multi handle, whose connection cache keeps the connection open for
// the next call. One caller at a time (busy); the others go through the I/O thread.
struct DirectLane {
    std::atomic<bool> busy{false};
    std::mutex mutex;  // current and cancelled, for Engine::cancel from any thread
    RequestId current = 0;
    bool cancelled = false;
    CURLM *multi = nullptr;  // made with the engine
    CURL *easy = nullptr;
    RequestCache cache;
    Inline state;       // the acting caller's, kept for the next one (busy makes it one at a time)
    uint64_t used = 0;  // transfers on the lane, for kResetEvery

    ~DirectLane() {
        if (easy) curl_easy_cleanup(easy);
        if (multi) curl_multi_cleanup(multi);
    }
};

ErrorInfo idle_timeout_error(int idle_ms) {
    return ErrorInfo::make(Status::Timeout, "request timed out: no data received for " +
                                                std::to_string(idle_ms) + " ms (idle timeout)");
}

}  // namespace

struct Engine::Impl {
    std::shared_ptr<const UrlPolicy> policy;
    std::shared_ptr<Clock> clock;
    std::string ca_file;
    std::string user_agent;
    RequestCache cache;     // the loop's (its thread context's) last URL and headers
    uint64_t recycled = 0;  // handles back in the pool, for kResetEvery
    CURLM *multi = nullptr;
    std::shared_ptr<Waker> waker = std::make_shared<Waker>();
    std::thread thread;
    std::atomic<std::thread::id> io_thread_id{};
    // The I/O context: held by the I/O thread for each turn of its loop (all but its wait in
    // curl_multi_poll), and by a synchronous caller while it runs its own operation's steps
    // (run_inline). Everything marked "I/O thread only" below is used under it.
    std::mutex loop_mutex;
    DirectLane lane;
    bool self_delete = false;  // destroyed from its own I/O thread: run() frees the Impl

    std::atomic<uint64_t> next_request_id{1};
    std::atomic<uint64_t> next_timer_id{1};
    std::atomic<size_t> request_count{0};
    std::atomic<size_t> timer_count{0};
    std::atomic<bool> resume_posted{false};  // a resume_paused() task is waiting to run
    std::atomic<uint64_t> wakeups{0};        // curl_multi_wakeup calls made by hand_in()

    // The inbox: everything other threads (and I/O-thread callbacks) hand to the loop.
    std::mutex mutex;
    std::vector<std::unique_ptr<Transfer>> submitted;
    std::vector<RequestId> cancelled;
    std::vector<std::function<void()>> tasks;
    std::vector<TimerOp> timer_ops;
    bool stopping = false;
    bool closed = false;  // the loop has ended; nothing handed in now would ever run

    // I/O thread only.
    std::unordered_map<RequestId, std::unique_ptr<Transfer>> transfers;  // running
    TimerQueue timers;
    HostQueue hosts{0};  // requests waiting for a slot of their host
    int64_t queue_timeout_ms = kDefaultQueueTimeoutMs;
    std::deque<std::unique_ptr<Transfer>> ready;  // given a slot, to be launched (in order)
    bool launching = false;
    // Easy handles of finished transfers, reset, for the next ones: a new handle per request
    // costs its allocations, and freeing its buffers made glibc return memory to the kernel
    // (one madvise per call). Bounded: a burst leaves at most this many behind.
    std::vector<CURL *> idle_easies;
    std::atomic<size_t> idle_easy_count{0};
    // I/O thread only: what runs once this turn of the loop has run its callbacks (at_turn_end).
    std::vector<std::function<void()>> turn_end;

    ~Impl() {
        waker->close();
        for (CURL *easy : idle_easies) curl_easy_cleanup(easy);
        if (multi) curl_multi_cleanup(multi);
    }

    CURL *take_easy() {
        if (idle_easies.empty()) return nullptr;
        CURL *easy = idle_easies.back();
        idle_easies.pop_back();
        idle_easy_count.store(idle_easies.size(), std::memory_order_relaxed);
        return easy;
    }

    // Takes t's handle back (t no longer uses it). Detached here rather than when taken, so that
    // an idle handle points at none of the freed transfer's buffers or lists.
    void recycle_easy(Transfer &t, bool failed) {
        CURL *easy = std::exchange(t.easy, nullptr);
        if (!easy) return;
        if (idle_easies.size() >= kMaxIdleEasies ||
            !detach_transfer(easy, failed || ++recycled % kResetEvery == 0, ca_file)) {
            curl_easy_cleanup(easy);
            return;
        }
        idle_easies.push_back(easy);
        idle_easy_count.store(idle_easies.size(), std::memory_order_relaxed);
    }

    // The I/O thread, or a caller acting as this engine's I/O context (run_inline).
    bool on_io_thread() const {
        return io_thread_id.load() == std::this_thread::get_id() || inline_here();
    }
    // The state of a caller acting as this engine's I/O context on this thread, if any.
    Inline *inline_here() const { return t_inline && t_inline->impl == this ? t_inline : nullptr; }

    bool inbox_empty_locked() const {
        return submitted.empty() && cancelled.empty() && tasks.empty() && timer_ops.empty();
    }

    // Adds to the inbox under the lock and wakes the loop. Returns false once the loop has ended.
    template <typename F>
    bool hand_in(F &&add) {
        bool wake;
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (closed) return false;
            // A non-empty inbox has already been signalled and not yet taken.
            wake = inbox_empty_locked();
            add();
        }
        // On the I/O thread the loop is not waiting: it is running this very callback, and
        // wait_ms() answers 0 while the inbox is non-empty, so a wake-up would only cost a
        // write, a spurious poll return and a read (an operation's own first step is posted).
        if (!wake) return true;
        if (Inline *state = inline_here()) {
            state->wake_loop = true;  // once it lets go of the I/O context
        } else if (!on_io_thread()) {
            wake_loop();
        }
        return true;
    }

    void wake_loop() {
        wakeups.fetch_add(1, std::memory_order_relaxed);
        waker->wake();
    }

    // ---- timers (I/O thread) ----

    void erase_timer(TimerId id) {
        if (timers.erase(id) == TimerQueue::Kind::User) timer_count.fetch_sub(1);
    }

    void apply_timer_ops() {
        std::vector<TimerOp> ops;
        {
            std::lock_guard<std::mutex> lock(mutex);
            ops.swap(timer_ops);
        }
        for (TimerOp &op : ops) {
            if (op.cancel) {
                erase_timer(op.id);
            } else {
                timers.insert(op.id, op.due, op.kind, op.repeat_ms, std::move(op.fn));
            }
        }
    }

    void run_due_timers() {
        // The clock is read before pending timer changes are taken: a set_timer or cancel_timer
        // made before the clock was advanced is then always applied before the timers that
        // advance made due (ManualClock tests rely on it; so does cancel-then-wait).
        const int64_t now = clock->now_ms();
        apply_timer_ops();
        while (auto fired = timers.pop_due(now, clock->is_manual())) {
            if (fired->finished && fired->kind == TimerQueue::Kind::User) timer_count.fetch_sub(1);
            run_guarded("timer callback", *fired->fn);
        }
    }

    // ---- transfers (I/O thread) ----

    void start(std::unique_ptr<Transfer> t) {
        if (auto problem = precheck_request(t->request, *policy)) {
            complete(std::move(t), std::move(*problem));
            return;
        }
        t = hosts.admit(std::move(t), steady_now_ms());
        if (t) launch(std::move(t));  // else it waits for a slot of its host
    }

    // Launches the transfers that were handed a slot. A launch may complete at once and free a
    // slot again; the loop (not recursion) takes care of that.
    void launch_ready() {
        if (launching) return;
        launching = true;
        while (!ready.empty()) {
            std::unique_ptr<Transfer> t = std::move(ready.front());
            ready.pop_front();
            launch(std::move(t));
        }
        launching = false;
    }

    void launch(std::unique_ptr<Transfer> t) {
        t->policy = policy.get();
        t->easy = take_easy();  // configure_transfer makes one when the pool is empty
        CURLcode rc = configure_transfer(*t, user_agent, ca_file, cache);
        if (rc != CURLE_OK) {
            ErrorInfo error = curl_error(rc, t->error_buffer);
            complete(std::move(t), std::move(error));
            return;
        }
        t->last_activity_ms = steady_now_ms();
        CURLMcode mrc = curl_multi_add_handle(multi, t->easy);
        if (mrc != CURLM_OK) {
            complete(std::move(t),
                     ErrorInfo::make(Status::Internal, std::string("curl_multi_add_handle: ") +
                                                           curl_multi_strerror(mrc)));
            return;
        }
        t->added = true;
        RequestId id = t->id;
        transfers.emplace(id, std::move(t));
    }

    // Removes a transfer from libcurl, frees it, then runs its completion exactly once.
    void complete(std::unique_ptr<Transfer> t, ErrorInfo error) {
        if (t->added) curl_multi_remove_handle(multi, t->easy);
        t->added = false;
        recycle_easy(*t, !error.ok());
        if (t->holds_slot) {
            t->holds_slot = false;
            if (auto next = hosts.release(t->request.url)) ready.push_back(std::move(next));
        }
        error.message = log::redact(error.message);  // messages never carry a key
        log::debug("HTTP {} {} -> {} {}", t->request.method, t->request.url,
                   t->response.http_status, status_name(error.status));
        HttpResponse response = std::move(t->response);  // with the request, its `sent`
        response.error = std::move(error);
        Completion done = std::move(t->on_complete);
        t.reset();
        request_count.fetch_sub(1);
        if (done) run_guarded("request completion", [&] { done(std::move(response)); });
        if (Inline *state = inline_here()) {
            // The multi handle is the I/O thread's: a slot freed here is taken there.
            if (!ready.empty()) state->wake_loop = true;
            return;
        }
        launch_ready();
    }

    void complete_by_id(RequestId id, ErrorInfo error) {
        auto node = transfers.extract(id);
        if (node.empty()) return;
        complete(std::move(node.mapped()), std::move(error));
    }

    void collect_finished() {
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            void *priv = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            auto *t = static_cast<Transfer *>(priv);
            ErrorInfo e = transfer_outcome(*t, msg->data.result);
            complete_by_id(t->id, std::move(e));
        }
    }

    void expire_idle() {
        const int64_t now = steady_now_ms();
        std::vector<std::pair<RequestId, int>> expired;
        for (const auto &[id, t] : transfers) {
            int idle = t->request.idle_timeout_ms;
            if (idle > 0 && now - t->last_activity_ms >= idle && !t->abort && !t->paused)
                expired.emplace_back(id, idle);
        }
        for (auto [id, idle] : expired) complete_by_id(id, idle_timeout_error(idle));
        for (auto &t : hosts.take_expired(now - queue_timeout_ms + 1)) {
            std::string host = host_key(t->request.url);
            complete(std::move(t), ErrorInfo::make(Status::Timeout,
                                                   "request timed out: no connection to " + host +
                                                       " became free within " +
                                                       std::to_string(queue_timeout_ms) + " ms"));
        }
    }

    void cancel_now(RequestId id) {
        if (auto waiting = hosts.remove(id)) {
            complete(std::move(waiting), ErrorInfo::make(Status::Cancelled, "request cancelled"));
            return;
        }
        auto it = transfers.find(id);
        if (it == transfers.end()) return;  // finished already
        ErrorInfo e = it->second->abort ? *it->second->abort
                                        : ErrorInfo::make(Status::Cancelled, "request cancelled");
        complete_by_id(id, std::move(e));
    }

    // Back-pressure released: each paused transfer whose consumer has room takes its held
    // bytes again (libcurl may call on_body right here, which may pause it once more).
    void resume_paused_now() {
        std::vector<Transfer *> resumable;
        for (const auto &[id, t] : transfers) {
            if (!t->paused && !t->pause_requested) continue;
            if (t->resume_ready && !t->resume_ready()) continue;
            resumable.push_back(t.get());
        }
        for (Transfer *t : resumable) {
            t->pause_requested = false;
            if (!t->paused) continue;
            t->paused = false;
            t->last_activity_ms = steady_now_ms();
            CURLcode rc = curl_easy_pause(t->easy, CURLPAUSE_CONT);
            if (rc != CURLE_OK) log::error("curl_easy_pause: {}", curl_easy_strerror(rc));
        }
    }

    void run_turn_end() {
        // Index loop: a step may add another.
        for (size_t i = 0; i < turn_end.size(); ++i) run_guarded("end-of-turn step", turn_end[i]);
        turn_end.clear();
    }

    // How long the loop may sleep: 0 when work is waiting.
    int wait_ms() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (!inbox_empty_locked() || stopping) return 0;
        }
        int64_t wait = kIdleWaitMs;
        if (auto due = timers.next_due()) {
            int64_t until = *due - clock->now_ms();
            if (until <= 0) return 0;
            // A manual clock moves only through advance(), which wakes the loop.
            if (!clock->is_manual()) wait = std::min(wait, until);
        }
        const int64_t now = steady_now_ms();
        if (int64_t parked = hosts.oldest_parked_ms(); parked >= 0)
            wait = std::min(wait, std::max<int64_t>(parked + queue_timeout_ms - now, 0));
        for (const auto &[id, t] : transfers) {
            if (t->request.idle_timeout_ms <= 0 || t->abort || t->paused) continue;
            int64_t until = t->last_activity_ms + t->request.idle_timeout_ms - now;
            wait = std::min(wait, std::max<int64_t>(until, 0));
        }
        return static_cast<int>(wait);
    }

    void run() {
        io_thread_id.store(std::this_thread::get_id());
        std::unique_lock<std::mutex> turn(loop_mutex);
        while (true) {
            std::vector<std::unique_ptr<Transfer>> new_transfers;
            std::vector<RequestId> new_cancels;
            std::vector<std::function<void()>> new_tasks;
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (stopping) break;
                new_transfers.swap(submitted);
                new_cancels.swap(cancelled);
                new_tasks.swap(tasks);
            }
            for (auto &t : new_transfers) start(std::move(t));
            for (RequestId id : new_cancels) cancel_now(id);
            for (auto &task : new_tasks) run_guarded("posted task", task);
            new_tasks.clear();  // captured state is released on this thread, before waiting
            launch_ready();     // slots a synchronous caller's request freed (run_inline)
            run_due_timers();

            int running = 0;
            CURLMcode mrc = curl_multi_perform(multi, &running);
            if (mrc != CURLM_OK) log::error("curl_multi_perform: {}", curl_multi_strerror(mrc));
            collect_finished();
            expire_idle();
            run_turn_end();

            int wait = wait_ms();
            if (wait > 0) {
                // A synchronous caller may take the I/O context meanwhile (run_inline); it
                // wakes this wait when it leaves work for the loop.
                turn.unlock();
                mrc = curl_multi_poll(multi, nullptr, 0, wait, nullptr);
                if (mrc != CURLM_OK) log::error("curl_multi_poll: {}", curl_multi_strerror(mrc));
                turn.lock();
            }
        }
        shut_down();
        turn.unlock();
        if (self_delete) delete this;
    }

    // ---- a synchronous caller's own operation (run_inline) ----

    // [acting] A request the caller's steps submitted: runs on the caller's connection when it
    // is the first of this call and collects its whole response; any other goes to the loop.
    void admit_inline(std::unique_ptr<Transfer> t, Inline &state,
                      std::unique_ptr<Transfer> &direct) {
        if (t->abort) {  // cancelled by a step before it was taken (Engine::cancel)
            ErrorInfo why = *t->abort;
            complete(std::move(t), std::move(why));
            return;
        }
        if (auto problem = precheck_request(t->request, *policy)) {
            complete(std::move(t), std::move(*problem));
            return;
        }
        if (direct || t->request.on_data) {
            // A stream's chunks are consumed on the I/O thread, with its back-pressure.
            hand_over_transfer(std::move(t), state);
            return;
        }
        t = hosts.admit(std::move(t), steady_now_ms());
        if (!t) {
            state.wake_loop = true;  // waits for a slot of its host; the loop times the wait
            return;
        }
        std::lock_guard<std::mutex> lock(lane.mutex);
        lane.current = t->id;  // from now on Engine::cancel reaches it
        lane.cancelled = false;
        direct = std::move(t);
    }

    // How a request on the direct lane ended.
    struct DirectEnd {
        ErrorInfo error;
        // The caller's time ran out before an idempotent request (GET, HEAD) ended: it is
        // restarted on the I/O thread rather than cancelled, since another operation may be
        // waiting for it too (a generation detection, a shared identity check).
        bool hand_over = false;
    };

    // [caller's thread, not acting] Runs t on the direct lane to its end, or to deadline_ms
    // (steady clock; 0 = none), where on_deadline runs. lane.current stays set: the caller
    // clears it when it completes or hands over t.
    DirectEnd perform_direct(Transfer &t, int64_t deadline_ms,
                             const std::function<void()> &on_deadline) {
        auto lane_cancelled = [this] {
            std::lock_guard<std::mutex> lock(lane.mutex);
            return lane.cancelled;
        };
        // A cancel may have come between the admission and now: nothing is sent then.
        if (lane_cancelled()) return {ErrorInfo::make(Status::Cancelled, "request cancelled")};
        t.policy = policy.get();
        t.easy = lane.easy;  // configure_transfer makes one the first time
        lane.easy = nullptr;
        CURLcode rc = configure_transfer(t, user_agent, ca_file, lane.cache);
        if (rc != CURLE_OK) return {curl_error(rc, t.error_buffer)};
        t.last_activity_ms = steady_now_ms();
        CURLMcode mrc = curl_multi_add_handle(lane.multi, t.easy);
        if (mrc != CURLM_OK)
            return {ErrorInfo::make(Status::Internal, std::string("curl_multi_add_handle: ") +
                                                          curl_multi_strerror(mrc))};
        // The handle leaves the lane's multi; the lane keeps it (and its multi the connection)
        // for the next call, reset first when `reset`.
        auto release_handle = [&](bool reset) {
            curl_multi_remove_handle(lane.multi, t.easy);
            if (detach_transfer(t.easy, reset, ca_file)) lane.easy = std::exchange(t.easy, nullptr);
            // else t's destructor frees the handle; the next call makes one
        };
        DirectEnd end;
        bool ended = false;
        while (!ended) {
            int running = 0;
            curl_multi_perform(lane.multi, &running);
            int left = 0;
            while (CURLMsg *msg = curl_multi_info_read(lane.multi, &left)) {
                if (msg->msg != CURLMSG_DONE) continue;
                end.error = transfer_outcome(t, msg->data.result);
                ended = true;
            }
            if (ended) break;
            if (lane_cancelled()) t.stop(ErrorInfo::make(Status::Cancelled, "request cancelled"));
            if (t.abort) {
                end.error = *t.abort;
                break;
            }
            const int64_t now = steady_now_ms();
            if (deadline_ms > 0 && now >= deadline_ms) {
                try {
                    on_deadline();
                } catch (...) {
                    // The handle must not stay in the lane's multi (it would go back to a pool
                    // while still added there): it leaves as after any failed transfer.
                    release_handle(true);
                    throw;
                }
                end.error = ErrorInfo::make(Status::Cancelled, "request cancelled");
                end.hand_over = t.request.method == "GET" || t.request.method == "HEAD";
                break;
            }
            int64_t wait = 1000;
            const int idle = t.request.idle_timeout_ms;
            if (idle > 0) {
                if (now - t.last_activity_ms >= idle) {
                    end.error = idle_timeout_error(idle);
                    break;
                }
                wait = std::min<int64_t>(wait, t.last_activity_ms + idle - now);
            }
            if (deadline_ms > 0) wait = std::min<int64_t>(wait, deadline_ms - now);
            curl_multi_poll(lane.multi, nullptr, 0, static_cast<int>(std::max<int64_t>(wait, 1)),
                            nullptr);
        }
        release_handle(!end.error.ok() || ++lane.used % kResetEvery == 0);
        return end;
    }

    // [acting] Ends the lane's request: its completion runs here, or (hand_over) it starts
    // again on the I/O thread with the same id and completion. Either way under lane.mutex
    // first, so that a cancel from another thread finds it on the lane or in the inbox.
    void finish_direct(std::unique_ptr<Transfer> t, DirectEnd end, Inline &state) {
        if (!end.hand_over) {
            {
                std::lock_guard<std::mutex> lock(lane.mutex);
                lane.current = 0;
            }
            complete(std::move(t), std::move(end.error));
            return;
        }
        if (t->holds_slot) {  // admitted again by the loop
            t->holds_slot = false;
            if (auto next = hosts.release(t->request.url)) ready.push_back(std::move(next));
        }
        auto again = std::make_unique<Transfer>();
        again->id = t->id;
        again->request = std::move(t->request);
        again->on_complete = std::move(t->on_complete);
        std::lock_guard<std::mutex> lock(lane.mutex);
        lane.current = 0;
        hand_over_transfer(std::move(again), state);
    }

    // [acting] Runs the tasks and takes the requests the caller's steps handed in, until none
    // are left; returns the request to perform on the lane, if any.
    std::unique_ptr<Transfer> run_captured(Inline &state, bool done) {
        std::unique_ptr<Transfer> direct;
        for (int round = 0; !state.tasks.empty() || !state.transfers.empty(); ++round) {
            if (round == 1000) {
                // Steps that keep posting steps: the loop takes over.
                hand_over(state);
                break;
            }
            // A step may post more steps and submit requests: they land in the emptied vectors.
            state.running.swap(state.tasks);
            for (auto &step : state.running) run_guarded("posted task", step);
            state.running.clear();
            state.taking.swap(state.transfers);
            for (auto &t : state.taking) {
                if (done) {
                    hand_over_transfer(std::move(t), state);  // not the caller's to wait for
                } else {
                    admit_inline(std::move(t), state, direct);
                }
            }
            state.taking.clear();
        }
        return direct;
    }

    void hand_over_transfer(std::unique_ptr<Transfer> t, Inline &state) {
        std::lock_guard<std::mutex> lock(mutex);
        state.wake_loop = state.wake_loop || inbox_empty_locked();
        submitted.push_back(std::move(t));
    }

    // Whatever the caller captured and did not run goes to the loop.
    void hand_over(Inline &state) {
        std::lock_guard<std::mutex> lock(mutex);
        if (state.tasks.empty() && state.transfers.empty()) return;
        state.wake_loop = state.wake_loop || inbox_empty_locked();
        for (auto &t : state.transfers) submitted.push_back(std::move(t));
        for (auto &task : state.tasks) tasks.push_back(std::move(task));
        state.transfers.clear();
        state.tasks.clear();
    }

    // Every request still known completes with Cancelled (on this thread, before the join);
    // timers and posted tasks are dropped. Completions may hand in more; those are cancelled too.
    void shut_down() {
        const ErrorInfo cancelled_error =
            ErrorInfo::make(Status::Cancelled, "request cancelled: engine shut down");
        while (true) {
            {
                // Moved out first: a callback's destructor may call back into the engine.
                TimerQueue dropped_queue;
                std::swap(dropped_queue, timers);
                timer_count.store(0);
            }
            std::vector<std::unique_ptr<Transfer>> new_transfers;
            std::vector<std::function<void()>> dropped;
            std::vector<TimerOp> dropped_timers;
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (transfers.empty() && hosts.waiting() == 0 && inbox_empty_locked()) {
                    closed = true;
                    break;
                }
                new_transfers.swap(submitted);
                dropped.swap(tasks);
                dropped_timers.swap(timer_ops);
                cancelled.clear();
            }
            dropped.clear();
            dropped_timers.clear();
            // The waiting ones first, so that no slot freed below launches one of them.
            for (auto &t : hosts.take_all()) complete(std::move(t), cancelled_error);
            for (auto &t : new_transfers) complete(std::move(t), cancelled_error);
            while (!transfers.empty()) complete_by_id(transfers.begin()->first, cancelled_error);
            run_turn_end();
        }
    }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::shared_ptr<Engine> Engine::create(EngineOptions options) {
    global_init();
    auto impl = std::make_unique<Impl>();
    impl->policy = options.policy ? std::move(options.policy) : std::make_shared<UrlPolicy>();
    impl->clock = options.clock ? std::move(options.clock) : std::make_shared<SteadyClock>();
    impl->ca_file = std::move(options.ca_file);
    impl->user_agent = options.user_agent.empty() ? std::string("elizacloud/") + EC_VERSION_STRING
                                                  : std::move(options.user_agent);
    // It becomes a header line of every request.
    if (std::string_view(impl->user_agent).find_first_of(std::string_view("\r\n\0", 3)) !=
        std::string_view::npos)
        throw Error(Status::InvalidArgument, "the user agent must be one line of text");
    impl->multi = curl_multi_init();
    if (!impl->multi) throw Error(Status::NoMemory, "curl_multi_init failed");
    impl->lane.multi = curl_multi_init();
    if (!impl->lane.multi) throw Error(Status::NoMemory, "curl_multi_init failed");
    impl->waker->multi = impl->multi;
    impl->hosts = HostQueue(options.max_host_connections);
    impl->queue_timeout_ms = std::max(options.queue_timeout_ms, 1);
    if (options.max_host_connections > 0) {
        // The admission above keeps within the cap; libcurl's own limit makes the socket count
        // a hard bound whatever it decides about reusing connections.
        curl_multi_setopt(impl->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                          static_cast<long>(options.max_host_connections));
    }
    if (auto *manual = dynamic_cast<ManualClock *>(impl->clock.get())) {
        std::weak_ptr<Waker> weak = impl->waker;
        manual->on_advance([weak] {
            if (auto waker = weak.lock()) waker->wake();
        });
    }
    Impl *raw = impl.get();
    impl->thread = std::thread([raw] { raw->run(); });
    impl->io_thread_id.store(impl->thread.get_id());
    return std::shared_ptr<Engine>(new Engine(std::move(impl)));
}

Engine::~Engine() {
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->waker->wake();
    if (impl_->on_io_thread()) {
        // The last reference went away inside a callback. Joining would deadlock: the loop
        // finishes its shutdown when the callback returns and then frees the Impl itself.
        log::warn("engine destroyed on its own I/O thread; shutting down asynchronously");
        impl_->self_delete = true;
        impl_->thread.detach();
        (void)impl_.release();
        return;
    }
    impl_->thread.join();
}

RequestId Engine::submit(HttpRequest request, Completion on_complete) {
    auto t = std::make_unique<Transfer>();
    t->id = impl_->next_request_id.fetch_add(1);
    t->request = std::move(request);
    t->on_complete = std::move(on_complete);
    RequestId id = t->id;
    impl_->request_count.fetch_add(1);
    if (Inline *state = impl_->inline_here()) {
        state->transfers.push_back(std::move(t));  // run_inline takes it
        return id;
    }
    if (!impl_->hand_in([&] { impl_->submitted.push_back(std::move(t)); })) {
        // Submitted after the engine shut down (a misuse): report it rather than drop it. The
        // inbox refused it, so t still owns the request.
        impl_->request_count.fetch_sub(1);
        HttpResponse response;
        response.error = ErrorInfo::make(Status::Cancelled, "request cancelled: engine shut down");
        response.sent = std::move(t->request);
        if (t->on_complete) t->on_complete(std::move(response));
    }
    return id;
}

void Engine::cancel(RequestId id) {
    {
        DirectLane &lane = impl_->lane;
        std::lock_guard<std::mutex> lock(lane.mutex);
        if (id != 0 && lane.current == id) {
            // Running on a synchronous caller's connection (run_inline): that caller stops it.
            lane.cancelled = true;
            curl_multi_wakeup(lane.multi);
            return;
        }
    }
    if (Inline *state = impl_->inline_here()) {
        // Submitted by a step of this caller and not taken yet: it is completed as cancelled
        // when taken (the inbox would not know it).
        for (auto &t : state->transfers) {
            if (t->id != id) continue;
            if (!t->abort) t->stop(ErrorInfo::make(Status::Cancelled, "request cancelled"));
            return;
        }
    }
    if (impl_->on_io_thread()) {
        // Stop at once: a stream consumer that cancels inside on_data gets no further data.
        auto it = impl_->transfers.find(id);
        if (it != impl_->transfers.end() && !it->second->abort)
            it->second->stop(ErrorInfo::make(Status::Cancelled, "request cancelled"));
    }
    impl_->hand_in([&] { impl_->cancelled.push_back(id); });
}

TimerId Engine::set_timer(int64_t delay_ms, std::function<void()> fn, int64_t repeat_ms) {
    TimerId id = impl_->next_timer_id.fetch_add(1);
    // The deadline is taken now, on the caller's clock reading, so set_timer(100) followed by
    // ManualClock::advance(100) fires even if the loop has not seen the timer yet.
    int64_t due = impl_->clock->now_ms() + std::max<int64_t>(delay_ms, 0);
    // A real clock reads whole milliseconds: the call may come up to 1 ms after the reading,
    // and a timer must never fire before its delay has passed (a 500 ms login deadline fired
    // after 499.4 ms). A manual clock moves in whole steps only.
    if (!impl_->clock->is_manual() && delay_ms > 0) due += 1;
    auto shared = std::make_shared<std::function<void()>>(std::move(fn));
    repeat_ms = std::max<int64_t>(repeat_ms, 0);
    impl_->timer_count.fetch_add(1);
    if (impl_->on_io_thread()) {
        impl_->timers.insert(id, due, TimerQueue::Kind::User, repeat_ms, std::move(shared));
        // A caller acting as the I/O context: the loop's wait was computed without this timer.
        if (Inline *state = impl_->inline_here()) state->wake_loop = true;
        return id;
    }
    TimerOp op{id, false, due, TimerQueue::Kind::User, repeat_ms, std::move(shared)};
    if (!impl_->hand_in([&] { impl_->timer_ops.push_back(std::move(op)); })) {
        impl_->timer_count.fetch_sub(1);
    }
    return id;
}

void Engine::cancel_timer(TimerId id) {
    if (impl_->on_io_thread() && impl_->timers.contains(id)) {
        impl_->erase_timer(id);
        return;
    }
    // Also from the I/O thread when the timer is unknown: it may still be pending in timer_ops.
    TimerOp op;
    op.id = id;
    op.cancel = true;
    impl_->hand_in([&] { impl_->timer_ops.push_back(std::move(op)); });
}

void Engine::post(std::function<void()> fn) {
    if (Inline *state = impl_->inline_here()) {
        state->tasks.push_back(std::move(fn));  // run_inline runs it, in order
        return;
    }
    impl_->hand_in([&] { impl_->tasks.push_back(std::move(fn)); });
}

bool Engine::at_turn_end(std::function<void()> fn) {
    if (impl_->io_thread_id.load() != std::this_thread::get_id()) return false;
    impl_->turn_end.push_back(std::move(fn));
    return true;
}

void Engine::resume_paused() {
    // Called for every stall a consumer works off: one pending task covers them all.
    if (impl_->resume_posted.exchange(true)) return;
    Impl *impl = impl_.get();
    // To the loop itself, never to a synchronous caller's run_inline: resuming touches the
    // transfers of the multi handle.
    impl->hand_in([&] {
        impl->tasks.push_back([impl] {
            impl->resume_posted.store(false);
            impl->resume_paused_now();
        });
    });
}

void Engine::drain() {
    if (in_io_thread()) {
        log::error("Engine::drain() called on the I/O thread; ignored");
        return;
    }
    const int64_t deadline = impl_->clock->now_ms();
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    Impl *impl = impl_.get();
    // A fence timer due at the call's time sorts after every user timer due by then; when it
    // fires it posts a last task, so tasks those timers posted run before drain() returns.
    TimerOp fence;
    fence.id = impl->next_timer_id.fetch_add(1);
    fence.due = deadline;
    fence.kind = TimerQueue::Kind::Fence;
    fence.fn = std::make_shared<std::function<void()>>([impl, done] {
        std::lock_guard<std::mutex> lock(impl->mutex);
        impl->tasks.push_back([done] { done->set_value(); });
    });
    // Tasks posted before the call are taken from the inbox before the fence is applied, and
    // the fence's own task runs after them.
    impl->hand_in([&] { impl->timer_ops.push_back(std::move(fence)); });
    finished.wait();  // also returns when the engine shuts down (broken promise)
}

void Engine::run_inline(const std::function<void()> &start, const std::function<bool()> &finished,
                        int64_t deadline_ms, const std::function<void()> &on_deadline) {
    Impl &impl = *impl_;
    if (impl.on_io_thread() || impl.lane.busy.exchange(true)) {
        start();  // the usual way: the I/O thread runs it
        return;
    }
    struct Release {
        DirectLane &lane;
        ~Release() { lane.busy.store(false); }
    } release{impl.lane};
    // The lane's: its vectors keep their capacity from one call to the next.
    Inline &state = impl.lane.state;
    state.impl = &impl;
    state.wake_loop = false;
    // Leaves the I/O context: what was not run goes to the loop, which is woken if it must look.
    auto leave = [&](std::unique_lock<std::mutex> &turn) {
        impl.hand_over(state);
        turn.unlock();
        if (std::exchange(state.wake_loop, false)) impl.wake_loop();
    };
    // A round that threw (out of memory) midway: what it was running or taking is dropped, as a
    // local state's was, and the rest goes to the loop, so nothing reaches the next caller.
    auto leave_after_throw = [&](std::unique_lock<std::mutex> &turn) {
        state.running.clear();
        state.taking.clear();
        leave(turn);
    };
    std::unique_ptr<Transfer> direct;
    {
        std::unique_lock<std::mutex> turn(impl.loop_mutex);
        try {
            InlineScope acting(state);
            start();
            direct = impl.run_captured(state, finished());
        } catch (...) {
            leave_after_throw(turn);
            throw;
        }
        leave(turn);
    }
    while (direct) {
        Impl::DirectEnd end;
        try {
            end = impl.perform_direct(*direct, deadline_ms, on_deadline);
        } catch (const std::exception &e) {  // out of memory, or on_deadline threw
            end.error = ErrorInfo::make(Status::Internal, e.what());
        }
        const bool handed_over = end.hand_over;
        std::unique_lock<std::mutex> turn(impl.loop_mutex);
        try {
            InlineScope acting(state);
            impl.finish_direct(std::move(direct), std::move(end), state);
            // Past the caller's time, what is left is the loop's.
            direct = impl.run_captured(state, handed_over || finished());
        } catch (...) {
            leave_after_throw(turn);
            throw;
        }
        leave(turn);
    }
}

bool Engine::in_io_thread() const {
    return impl_->on_io_thread();
}

const Clock &Engine::clock() const {
    return *impl_->clock;
}

const UrlPolicy &Engine::policy() const {
    return *impl_->policy;
}

size_t Engine::active_requests() const {
    return impl_->request_count.load();
}

size_t Engine::active_timers() const {
    return impl_->timer_count.load();
}

size_t Engine::idle_handles() const {
    return impl_->idle_easy_count.load(std::memory_order_relaxed);
}

uint64_t Engine::wakeups() const {
    return impl_->wakeups.load();
}

}  // namespace elizacloud
