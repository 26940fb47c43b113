#include "handle/event_dispatcher.hpp"

#include <utility>

namespace elizacloud {

namespace {
thread_local const void *t_owner = nullptr;
}  // namespace

EventDispatcher::EventDispatcher(EventQueue &queue, const void *owner)
    : queue_(queue), owner_(owner) {}

EventDispatcher::~EventDispatcher() {
    stop();
}

const void *EventDispatcher::current_owner() {
    return t_owner;
}

void EventDispatcher::set_callback(ec_event_fn fn, void *user_data,
                                   void (*free_user_data)(void *)) {
    std::shared_ptr<PushConsumer> consumer;
    if (fn) {
        consumer = std::make_shared<PushConsumer>(fn, user_data, free_user_data);
        std::lock_guard<std::mutex> lock(mutex_);
        // Started lazily: pull-only hosts (Python asyncio, Node) never pay for the thread.
        if (!thread_.joinable() && !stopped_) thread_ = std::thread([this] { run(); });
    } else if (free_user_data) {
        // Clearing with a free function but no fn: nothing will ever call fn, so the user data
        // is released at once (the caller handed it over).
        free_user_data(user_data);
    }
    // The previous consumer is released here, outside every lock; if the dispatcher is inside
    // its fn right now, its own reference keeps it alive until that call returns.
    auto previous = queue_.set_consumer(std::move(consumer));
}

void EventDispatcher::stop() {
    std::thread thread;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopped_ = true;
        thread = std::move(thread_);
    }
    queue_.close();
    if (thread.joinable()) thread.join();
    // With the thread gone nobody else holds the consumer: free_user_data runs here.
    auto previous = queue_.set_consumer(nullptr);
}

void EventDispatcher::run() {
    t_owner = owner_;
    while (auto item = queue_.wait_dispatch()) {
        auto &[event, consumer] = *item;
        const ec_event view = borrow_event(event);
        consumer->fn(&view, consumer->user_data);
        // consumer (and, if it was replaced meanwhile, its free_user_data) is released here.
    }
    t_owner = nullptr;
}

}  // namespace elizacloud
