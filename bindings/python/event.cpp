#include "event.hpp"

namespace ecpy {

namespace {
std::string copy(const char *s) {
    return s ? std::string(s) : std::string();
}
std::string copy(const char *s, size_t len) {
    return s ? std::string(s, len) : std::string();
}
}  // namespace

Event::Event(const ec_event &ev)
    : type(ev.type),
      request_id(ev.request_id),
      status(ev.status),
      message(copy(ev.message)),
      text(copy(ev.text, ev.text_len)),
      json(copy(ev.json, ev.json_len)),
      agent_id(copy(ev.agent_id)),
      state(ev.state),
      previous_state(ev.previous_state),
      attempt(ev.attempt),
      next_delay_ms(ev.next_delay_ms),
      log_level(ev.log_level),
      dropped(ev.dropped) {}

}  // namespace ecpy
