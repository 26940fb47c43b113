#include "handle/event_queue.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <utility>

namespace elizacloud {

bool is_droppable(int32_t type) {
    return type == EC_EVENT_LOG || type == EC_EVENT_LOGIN_PROGRESS ||
           type == EC_EVENT_PROVISION_PROGRESS;
}

ec_event borrow_event(const Event &e) {
    ec_event out{};
    out.struct_size = sizeof(ec_event);
    out.type = e.type;
    out.request_id = e.request_id;
    out.status = static_cast<ec_status>(e.status);
    out.message = e.message.c_str();
    out.text = e.text.c_str();
    out.text_len = e.text.size();
    out.json = e.json.c_str();
    out.json_len = e.json.size();
    out.agent_id = e.agent_id.c_str();
    out.state = e.state;
    out.previous_state = e.previous_state;
    out.attempt = e.attempt;
    out.next_delay_ms = e.next_delay_ms;
    out.log_level = e.log_level;
    out.dropped = e.dropped;
    return out;
}

ec_event *make_owned_event(const Event &e) {
    // One block: the struct, then each string with its NUL. A C caller frees it with one call and
    // no C++ object crosses the boundary.
    const size_t strings = e.message.size() + e.text.size() + e.json.size() + e.agent_id.size() + 4;
    void *block = std::malloc(sizeof(ec_event) + strings);
    if (!block) throw std::bad_alloc();
    auto *out = static_cast<ec_event *>(block);
    *out = borrow_event(e);
    char *cursor = static_cast<char *>(block) + sizeof(ec_event);
    auto copy = [&cursor](const std::string &s) {
        std::memcpy(cursor, s.data(), s.size());
        cursor[s.size()] = '\0';
        const char *start = cursor;
        cursor += s.size() + 1;
        return start;
    };
    out->message = copy(e.message);
    out->text = copy(e.text);
    out->json = copy(e.json);
    out->agent_id = copy(e.agent_id);
    return out;
}

void release_event(ec_event *event) noexcept {
    std::free(event);
}

EventQueue::EventQueue(uint32_t capacity, std::function<void()> on_room)
    : capacity_(capacity == 0 ? kDefaultCapacity : capacity), on_room_(std::move(on_room)) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw Error(Status::Io,
                    std::string("cannot create the event wake pipe: ") + std::strerror(errno));
    }
    read_fd_ = fds[0];
    write_fd_ = fds[1];
}

EventQueue::~EventQueue() {
    ::close(read_fd_);
    ::close(write_fd_);
}

PushResult EventQueue::push(Event event) {
    PushResult result;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        result = push_locked(std::move(event));
    }
    if (result == PushResult::Queued || result == PushResult::Backlogged) cv_.notify_all();
    return result;
}

EventQueue::BatchResult EventQueue::push_batch(std::vector<Event> &events) {
    BatchResult out;
    bool queued = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (Event &event : events) {
            const uint64_t id = event.request_id;
            switch (push_locked(std::move(event))) {
                case PushResult::Backlogged:
                    out.backlogged = true;
                    queued = true;
                    break;
                case PushResult::Queued:
                    queued = true;
                    break;
                case PushResult::StreamOverflow:
                    out.overflowed.push_back(id);
                    break;
                case PushResult::Dropped:
                    break;
            }
        }
    }
    events.clear();
    if (queued) cv_.notify_all();
    return out;
}

PushResult EventQueue::push_locked(Event event) {
    PushResult result = PushResult::Queued;
    {
        if (closed_) return PushResult::Dropped;
        const bool full = events_.size() >= capacity_;
        if (event.type == EC_EVENT_STREAM_CHUNK) {
            if (!overflowed_streams_.empty() && overflowed_streams_.count(event.request_id))
                return PushResult::Dropped;
            if (events_.size() >= capacity_ + kStreamHeadroom) {
                // A producer that ignored Backlogged: cancelled rather than the queue grown
                // without bound while the host is not draining.
                overflowed_streams_.insert(event.request_id);
                return PushResult::StreamOverflow;
            }
            if (events_.size() + 1 >= capacity_) {
                if (!stalled_) ++stream_pauses_;
                stalled_ = true;
                result = PushResult::Backlogged;
            }
        } else if (event.type == EC_EVENT_STREAM_END) {
            // Chunks were lost, so even a clean end is reported as the overflow; a real failure
            // that raced the cancel is kept because it says more.
            if (overflowed_streams_.erase(event.request_id) &&
                (event.status == Status::Ok || event.status == Status::Cancelled)) {
                event.status = Status::Overflow;
                event.message = "the event queue overflowed; the stream was cancelled";
            }
        } else if (full && is_droppable(event.type)) {
            ++pending_dropped_;
            ++dropped_total_;
            return PushResult::Dropped;
        }
        append_locked(std::move(event));
    }
    return result;
}

bool EventQueue::has_room() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || events_.size() < capacity_) return true;  // closed: let the stream wind down
    stalled_ = true;
    return false;
}

void EventQueue::notify_room(bool room) {
    if (room && on_room_) on_room_();
}

void EventQueue::report_drops_locked() {
    // Once there is room again, one OVERFLOW tells the host how many events it lost, placed
    // where the gap is in the sequence.
    if (pending_dropped_ == 0 || events_.size() >= capacity_) return;
    Event overflow;
    overflow.type = EC_EVENT_OVERFLOW;
    overflow.dropped = std::exchange(pending_dropped_, 0);
    events_.push_back(std::move(overflow));
}

void EventQueue::append_locked(Event event) {
    report_drops_locked();
    events_.push_back(std::move(event));
    update_signal_locked();
}

std::optional<Event> EventQueue::take_locked(bool &room) {
    if (events_.empty()) return std::nullopt;
    Event event = std::move(events_.front());
    events_.pop_front();
    report_drops_locked();
    update_signal_locked();
    // Half the capacity, not the first free slot: a paused stream then resumes once per
    // capacity/2 events instead of once per event.
    if (stalled_ && events_.size() <= capacity_ / 2) {
        stalled_ = false;
        room = true;
    }
    return event;
}

void EventQueue::update_signal_locked() {
    // Level-triggered: one byte in the pipe while pull consumers have something to take. While a
    // push consumer is installed the dispatcher takes events, so the fd stays quiet instead of
    // waking a host loop for events it will never see.
    const bool want = !events_.empty() && !consumer_ && !closed_;
    if (want == signalled_) return;
    if (want) {
        const char byte = 1;
        // The pipe holds at most one byte, so it can never be full; EINTR is retried.
        while (::write(write_fd_, &byte, 1) < 0 && errno == EINTR) {
        }
    } else {
        char byte;
        while (::read(read_fd_, &byte, 1) < 0 && errno == EINTR) {
        }
    }
    signalled_ = want;
}

std::optional<Event> EventQueue::try_pop() {
    bool room = false;
    std::optional<Event> event;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        event = take_locked(room);
    }
    notify_room(room);
    return event;
}

size_t EventQueue::try_pop_many(size_t max, const std::function<void(const Event &)> &take) {
    bool room = false;
    size_t taken = 0;
    std::exception_ptr error;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        // Each event is handed to take before it leaves the queue: if take throws (no memory),
        // that event and the rest stay queued rather than being lost.
        try {
            while (taken < max && !events_.empty()) {
                take(events_.front());
                events_.pop_front();
                ++taken;
            }
        } catch (...) {
            error = std::current_exception();  // rethrown once the queue is consistent
        }
        if (taken > 0) {
            report_drops_locked();
            update_signal_locked();
            if (stalled_ && events_.size() <= capacity_ / 2) {
                stalled_ = false;
                room = true;
            }
        }
    }
    notify_room(room);
    if (error) std::rethrow_exception(error);
    return taken;
}

std::optional<Event> EventQueue::wait_pop(int32_t timeout_ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto ready = [this] { return !events_.empty() || closed_; };
    if (timeout_ms < 0) {
        cv_.wait(lock, ready);
    } else if (!cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready)) {
        return std::nullopt;
    }
    if (closed_) return std::nullopt;
    bool room = false;
    std::optional<Event> event = take_locked(room);
    lock.unlock();
    notify_room(room);
    return event;
}

std::shared_ptr<PushConsumer> EventQueue::set_consumer(std::shared_ptr<PushConsumer> consumer) {
    std::shared_ptr<PushConsumer> previous;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        previous = std::exchange(consumer_, std::move(consumer));
        update_signal_locked();
    }
    cv_.notify_all();
    return previous;
}

std::optional<std::pair<Event, std::shared_ptr<PushConsumer>>> EventQueue::wait_dispatch() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return closed_ || (consumer_ && !events_.empty()); });
    if (closed_) return std::nullopt;
    bool room = false;
    auto event = take_locked(room);
    auto consumer = consumer_;
    lock.unlock();
    notify_room(room);
    return std::make_pair(std::move(*event), std::move(consumer));
}

void EventQueue::close() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
        update_signal_locked();
    }
    cv_.notify_all();
}

size_t EventQueue::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_.size();
}

uint64_t EventQueue::dropped_total() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return dropped_total_;
}

uint64_t EventQueue::stream_pauses() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stream_pauses_;
}

}  // namespace elizacloud
