#include "handle/event_hub.hpp"

#include <exception>

#include "handle/gate.hpp"
#include "util/log_fanout.hpp"

namespace elizacloud {

EventHub::EventHub(uint32_t capacity, std::function<void()> on_room, const void *owner,
                   bool forward_logs)
    : queue_(std::make_shared<EventQueue>(capacity, std::move(on_room))),
      dispatcher_(*queue_, owner),
      forward_logs_(forward_logs) {
    if (forward_logs_) LogFanout::instance().add_queue(queue_.get());
}

EventHub::~EventHub() {
    stop();
}

void EventHub::stop() {
    if (stopped_) return;
    stopped_ = true;
    if (forward_logs_) LogFanout::instance().remove_queue(queue_.get());
    dispatcher_.stop();
}

void EventHub::publish(Event event) {
    {
        std::lock_guard<std::mutex> lock(taps_mutex_);
        for (auto &tap : taps_) {
            try {
                tap.second(event);
            } catch (const std::exception &e) {  // an observer must not cost the host its event
                report_callback_failure(e.what());
            }
        }
    }
    queue_->push(std::move(event));
}

uint64_t EventHub::add_tap(Tap tap) {
    std::lock_guard<std::mutex> lock(taps_mutex_);
    taps_.emplace_back(next_tap_, std::move(tap));
    return next_tap_++;
}

void EventHub::remove_tap(uint64_t id) {
    std::lock_guard<std::mutex> lock(taps_mutex_);
    std::erase_if(taps_, [id](const auto &tap) { return tap.first == id; });
}

}  // namespace elizacloud
