// Work deferred to the end of the data callback that is running: a consumer that gets many small
// pieces from one network read (the SSE chunks of one block) hands them on together once the
// block is parsed, with one lock, one notify and one wake-up, instead of one of each per piece.
#pragma once

#include <functional>

namespace elizacloud {

// [any thread] True while an HttpRequest::on_data call runs on this thread.
bool in_data_callback();
// [I/O thread, inside an HttpRequest::on_data call] Runs fn once that call has returned, before
// libcurl gets the next block; still in the transfer's context, so fn may call
// pause_current_transfer(). In registration order. Outside on_data, fn runs at once.
void after_current_data(std::function<void()> fn);

}  // namespace elizacloud
