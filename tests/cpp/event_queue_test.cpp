// EventQueue and EventDispatcher: order, the wake pipe's level, the overflow rules of the header
// (droppable events counted and reported once, streams paused by back-pressure, others never
// dropped) and the push consumer's lifetime rules.
#include "handle/event_queue.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "handle/event_dispatcher.hpp"

namespace elizacloud {
namespace {

Event make(int32_t type, uint64_t request_id = 0, std::string text = {}) {
    Event e;
    e.type = type;
    e.request_id = request_id;
    e.text = std::move(text);
    return e;
}

bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

TEST(EventQueue, FifoAndWakePipeLevel) {
    EventQueue q(16);
    EXPECT_FALSE(readable(q.fd()));
    q.push(make(EC_EVENT_REQUEST_COMPLETED, 1));
    q.push(make(EC_EVENT_REQUEST_COMPLETED, 2));
    EXPECT_TRUE(readable(q.fd()));
    EXPECT_EQ(q.try_pop()->request_id, 1u);
    EXPECT_TRUE(readable(q.fd()));  // still non-empty
    EXPECT_EQ(q.try_pop()->request_id, 2u);
    EXPECT_FALSE(readable(q.fd()));
    EXPECT_FALSE(q.try_pop());
}

TEST(EventQueue, WaitPopTimesOutAndWakes) {
    EventQueue q(4);
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(q.wait_pop(30));
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(25));
    std::thread producer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        q.push(make(EC_EVENT_LOG));
    });
    auto event = q.wait_pop(-1);
    producer.join();
    ASSERT_TRUE(event);
    EXPECT_EQ(event->type, EC_EVENT_LOG);
}

TEST(EventQueue, DroppableEventsAreCountedAndReportedOnce) {
    EventQueue q(3);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(q.push(make(EC_EVENT_LOG)), PushResult::Queued);
    EXPECT_EQ(q.push(make(EC_EVENT_LOG)), PushResult::Dropped);
    EXPECT_EQ(q.push(make(EC_EVENT_LOGIN_PROGRESS)), PushResult::Dropped);
    EXPECT_EQ(q.push(make(EC_EVENT_PROVISION_PROGRESS)), PushResult::Dropped);
    // Never dropped, even above capacity.
    EXPECT_EQ(q.push(make(EC_EVENT_STATE_CHANGED)), PushResult::Queued);
    EXPECT_EQ(q.size(), 4u);
    EXPECT_EQ(q.dropped_total(), 3u);

    std::vector<Event> seen;
    while (auto e = q.try_pop()) seen.push_back(std::move(*e));
    ASSERT_EQ(seen.size(), 5u);
    EXPECT_EQ(seen[3].type, EC_EVENT_STATE_CHANGED);
    EXPECT_EQ(seen[4].type, EC_EVENT_OVERFLOW);  // once space returned, after what was queued
    EXPECT_EQ(seen[4].dropped, 3u);
    EXPECT_FALSE(q.try_pop());  // reported once
}

TEST(EventQueue, OverflowIsReportedBeforeTheNextEventOnceThereIsRoom) {
    EventQueue q(2);
    q.push(make(EC_EVENT_LOG));
    q.push(make(EC_EVENT_LOG));
    q.push(make(EC_EVENT_LOG));  // dropped
    q.try_pop();
    q.try_pop();  // the OVERFLOW was appended when the first pop made room
    auto e = q.try_pop();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->type, EC_EVENT_OVERFLOW);
    EXPECT_EQ(e->dropped, 1u);
}

TEST(EventQueue, AFullQueueBacklogsChunksAndCallsTheListenerAtHalfCapacity) {
    int rooms = 0;
    EventQueue q(4, [&rooms] { ++rooms; });
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 7, "a")), PushResult::Queued);
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 7, "b")), PushResult::Queued);
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 7, "c")), PushResult::Queued);
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 7, "d")), PushResult::Backlogged);  // now full
    // A chunk the producer already had in hand is still queued, never lost.
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 7, "e")), PushResult::Backlogged);
    EXPECT_FALSE(q.has_room());
    EXPECT_EQ(q.stream_pauses(), 1u);  // one stall, however many chunks met it
    q.try_pop();
    q.try_pop();
    EXPECT_EQ(rooms, 0);  // 3 left: above half the capacity
    q.try_pop();
    EXPECT_EQ(rooms, 1);  // 2 left
    EXPECT_TRUE(q.has_room());
    q.try_pop();
    EXPECT_EQ(rooms, 1);  // no stall pending: nobody to wake
    EXPECT_EQ(q.try_pop()->text, "e");
}

TEST(EventQueue, HasRoomArmsTheListenerWhenOtherEventsFilledTheQueue) {
    int rooms = 0;
    EventQueue q(2, [&rooms] { ++rooms; });
    q.push(make(EC_EVENT_STATE_CHANGED));
    q.push(make(EC_EVENT_STATE_CHANGED));
    EXPECT_FALSE(q.has_room());  // a paused stream asks before resuming
    q.try_pop();
    EXPECT_EQ(rooms, 1);
}

TEST(EventQueue, TheDispatcherPathAlsoCallsTheListener) {
    std::atomic<int> rooms{0};
    EventQueue q(2, [&rooms] { ++rooms; });
    auto consumer = std::make_shared<PushConsumer>(nullptr, nullptr, nullptr);
    q.set_consumer(consumer);
    q.push(make(EC_EVENT_STREAM_CHUNK, 1, "a"));
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 1, "b")), PushResult::Backlogged);
    ASSERT_TRUE(q.wait_dispatch());
    EXPECT_EQ(rooms.load(), 1);
    q.set_consumer(nullptr);
}

TEST(EventQueue, AChunkPastTheHardLimitCancelsTheStreamOnceAndRewritesTheEnd) {
    EventQueue q(2);
    const size_t limit = 2 + EventQueue::kStreamHeadroom;
    for (size_t i = 0; i < limit; ++i) q.push(make(EC_EVENT_STREAM_CHUNK, 7, "a"));
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 7, "c")), PushResult::StreamOverflow);
    q.try_pop();  // room again, but the stream stays cut: no gap inside a stream
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 7, "d")), PushResult::Dropped);
    // Another stream is not affected.
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 8, "x")), PushResult::Backlogged);
    Event end = make(EC_EVENT_STREAM_END, 7);
    end.status = Status::Cancelled;
    EXPECT_EQ(q.push(std::move(end)), PushResult::Queued);  // above capacity: never dropped
    std::vector<Event> seen;
    while (auto e = q.try_pop()) seen.push_back(std::move(*e));
    ASSERT_EQ(seen.size(), limit + 1);
    EXPECT_EQ(seen[limit - 1].text, "x");
    EXPECT_EQ(seen[limit].type, EC_EVENT_STREAM_END);
    EXPECT_EQ(seen[limit].status, Status::Overflow);
    // A later stream with the same id would be fresh again.
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 7, "e")), PushResult::Queued);
}

TEST(EventQueue, StreamEndKeepsARealFailure) {
    EventQueue q(1);
    for (size_t i = 0; i < 1 + EventQueue::kStreamHeadroom; ++i)
        q.push(make(EC_EVENT_STREAM_CHUNK, 3, "a"));
    EXPECT_EQ(q.push(make(EC_EVENT_STREAM_CHUNK, 3, "b")), PushResult::StreamOverflow);
    Event end = make(EC_EVENT_STREAM_END, 3);
    end.status = Status::Network;
    q.push(std::move(end));
    std::optional<Event> last;
    while (auto e = q.try_pop()) last = std::move(e);
    EXPECT_EQ(last->status, Status::Network);
}

// The chunks of one network read are queued together (push_batch) and taken together
// (try_pop_many): same order and rules as one at a time, the wake pipe written once.
TEST(EventQueue, BatchesKeepOrderAndTheWakePipeLevel) {
    EventQueue q(16);
    std::vector<Event> batch;
    for (int i = 0; i < 5; ++i) batch.push_back(make(EC_EVENT_STREAM_CHUNK, 7, std::to_string(i)));
    EventQueue::BatchResult r = q.push_batch(batch);
    EXPECT_TRUE(batch.empty());
    EXPECT_FALSE(r.backlogged);
    EXPECT_TRUE(r.overflowed.empty());
    EXPECT_TRUE(readable(q.fd()));
    std::vector<std::string> seen;
    auto take = [&seen](const Event &e) { seen.push_back(e.text); };
    EXPECT_EQ(q.try_pop_many(3, take), 3u);
    EXPECT_TRUE(readable(q.fd()));
    EXPECT_EQ(q.try_pop_many(10, take), 2u);
    EXPECT_EQ(seen, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
    EXPECT_FALSE(readable(q.fd()));
    EXPECT_EQ(q.try_pop_many(10, take), 0u);
}

TEST(EventQueue, ABatchIsBackloggedAndOverflowsLikeSingleChunks) {
    int rooms = 0;
    EventQueue q(4, [&rooms] { ++rooms; });
    std::vector<Event> batch;
    for (int i = 0; i < 6; ++i) batch.push_back(make(EC_EVENT_STREAM_CHUNK, 1));
    EXPECT_TRUE(q.push_batch(batch).backlogged);
    EXPECT_EQ(q.size(), 6u);  // chunks are never dropped, only paused
    EXPECT_EQ(q.try_pop_many(4, [](const Event &) {}), 4u);
    EXPECT_EQ(rooms, 1);  // half the capacity reached: the paused stream may resume

    for (size_t i = 0; i < 4 + EventQueue::kStreamHeadroom + 2; ++i)
        batch.push_back(make(EC_EVENT_STREAM_CHUNK, 2));
    EventQueue::BatchResult r = q.push_batch(batch);
    EXPECT_EQ(r.overflowed, std::vector<uint64_t>{2});  // once, however many chunks followed
}

TEST(EventQueue, AnEventThatCannotBeTakenStaysQueued) {
    EventQueue q(16);
    for (int i = 0; i < 4; ++i) q.push(make(EC_EVENT_STREAM_CHUNK, 1, std::to_string(i)));
    int calls = 0;
    EXPECT_THROW(q.try_pop_many(10,
                                [&calls](const Event &) {
                                    if (++calls == 3) throw std::bad_alloc();
                                }),
                 std::bad_alloc);
    ASSERT_EQ(q.size(), 2u);  // the two copied left; the one that failed and the next stay
    EXPECT_EQ(q.try_pop()->text, "2");
    EXPECT_TRUE(readable(q.fd()));
}

TEST(EventQueue, OwnedEventCopiesEverything) {
    Event e = make(EC_EVENT_STATE_CHANGED, 42, "text");
    e.message = "msg";
    e.json = R"({"a":1})";
    e.agent_id = "agent";
    e.state = EC_STATE_CONNECTED;
    e.previous_state = EC_STATE_CONNECTING;
    e.attempt = 2;
    e.next_delay_ms = 3000;
    e.status = Status::Network;
    ec_event *owned = make_owned_event(e);
    e = Event{};  // the copy must not depend on the source
    EXPECT_EQ(owned->struct_size, sizeof(ec_event));
    EXPECT_EQ(owned->request_id, 42u);
    EXPECT_STREQ(owned->text, "text");
    EXPECT_EQ(owned->text_len, 4u);
    EXPECT_STREQ(owned->message, "msg");
    EXPECT_STREQ(owned->json, R"({"a":1})");
    EXPECT_EQ(owned->json_len, 7u);
    EXPECT_STREQ(owned->agent_id, "agent");
    EXPECT_EQ(owned->state, EC_STATE_CONNECTED);
    EXPECT_EQ(owned->previous_state, EC_STATE_CONNECTING);
    EXPECT_EQ(owned->attempt, 2);
    EXPECT_EQ(owned->next_delay_ms, 3000);
    EXPECT_EQ(owned->status, EC_ERR_NETWORK);
    release_event(owned);
}

TEST(EventQueue, WakePipeIsQuietWhileAPushConsumerIsInstalled) {
    EventQueue q(8);
    q.push(make(EC_EVENT_LOG));
    EXPECT_TRUE(readable(q.fd()));
    auto previous = q.set_consumer(
        std::make_shared<PushConsumer>([](const ec_event *, void *) {}, nullptr, nullptr));
    EXPECT_FALSE(readable(q.fd()));
    q.set_consumer(nullptr);
    EXPECT_TRUE(readable(q.fd()));
}

struct Recorder {
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<uint64_t> ids;
    std::atomic<int> freed{0};
    std::atomic<bool> inside{false};
    std::atomic<bool> overlapped{false};

    static void on_event(const ec_event *event, void *user_data) {
        auto *self = static_cast<Recorder *>(user_data);
        if (self->inside.exchange(true)) self->overlapped = true;
        EXPECT_NE(EventDispatcher::current_owner(), nullptr);
        {
            std::lock_guard<std::mutex> lock(self->mutex);
            self->ids.push_back(event->request_id);
        }
        self->inside = false;
        self->cv.notify_all();
    }
    static void on_free(void *user_data) { ++static_cast<Recorder *>(user_data)->freed; }

    bool wait_for(size_t n) {
        std::unique_lock<std::mutex> lock(mutex);
        return cv.wait_for(lock, std::chrono::seconds(10), [&] { return ids.size() >= n; });
    }
};

TEST(EventDispatcher, DeliversInOrderOneAtATimeOnItsOwnThread) {
    EventQueue q(4096);
    int owner = 0;
    EventDispatcher d(q, &owner);
    Recorder r;
    EXPECT_EQ(EventDispatcher::current_owner(), nullptr);
    d.set_callback(&Recorder::on_event, &r, &Recorder::on_free);
    std::thread a([&] {
        for (uint64_t i = 1; i <= 500; ++i) q.push(make(EC_EVENT_REQUEST_COMPLETED, i));
    });
    a.join();
    ASSERT_TRUE(r.wait_for(500));
    for (uint64_t i = 0; i < 500; ++i) ASSERT_EQ(r.ids[i], i + 1);
    EXPECT_FALSE(r.overlapped);
    d.stop();
    EXPECT_EQ(r.freed, 1);
}

TEST(EventDispatcher, ReplacingFreesThePreviousUserDataAfterItsLastCall) {
    EventQueue q(64);
    int owner = 0;
    EventDispatcher d(q, &owner);
    struct Slow {
        std::atomic<bool> running{false};
        std::atomic<bool> release{false};
        std::atomic<bool> freed_while_running{false};
        std::atomic<int> freed{0};
    } slow;
    d.set_callback(
        [](const ec_event *, void *u) {
            auto *s = static_cast<Slow *>(u);
            s->running = true;
            while (!s->release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            s->running = false;
        },
        &slow,
        [](void *u) {
            auto *s = static_cast<Slow *>(u);
            if (s->running) s->freed_while_running = true;
            ++s->freed;
        });
    q.push(make(EC_EVENT_LOG));
    while (!slow.running) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    Recorder r;
    d.set_callback(&Recorder::on_event, &r, &Recorder::on_free);  // while the old fn runs
    EXPECT_EQ(slow.freed, 0);
    slow.release = true;
    q.push(make(EC_EVENT_REQUEST_COMPLETED, 9));
    ASSERT_TRUE(r.wait_for(1));
    EXPECT_EQ(r.ids[0], 9u);
    d.stop();
    EXPECT_EQ(slow.freed, 1);
    EXPECT_FALSE(slow.freed_while_running);
    EXPECT_EQ(r.freed, 1);
}

TEST(EventDispatcher, ClearingReturnsEventsToThePullQueue) {
    EventQueue q(64);
    int owner = 0;
    EventDispatcher d(q, &owner);
    Recorder r;
    d.set_callback(&Recorder::on_event, &r, &Recorder::on_free);
    q.push(make(EC_EVENT_REQUEST_COMPLETED, 1));
    ASSERT_TRUE(r.wait_for(1));
    d.set_callback(nullptr, nullptr, nullptr);
    // Freed here or, if the dispatcher was still inside on_event, right after it returned.
    for (int i = 0; i < 1000 && r.freed == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(r.freed, 1);
    q.push(make(EC_EVENT_REQUEST_COMPLETED, 2));
    auto e = q.wait_pop(1000);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->request_id, 2u);
}

}  // namespace
}  // namespace elizacloud
