#include "api/retrying_request.hpp"

#include <memory>
#include <utility>

#include "util/log.hpp"

namespace elizacloud {
namespace {

struct Attempt : std::enable_shared_from_this<Attempt> {
    Operation *op = nullptr;
    HttpRequest request;  // the next attempt's: moved to the engine, handed back with its answer
    int max_retries = 0;
    ErrorFamily family = ErrorFamily::Cloud;
    std::string what;
    std::function<void(HttpResponse &&, ErrorInfo &&, int)> answer;
    RetryHooks hooks;
    int retries = 0;

    void send() {
        if (hooks.before_each) hooks.before_each(request);
        op->request(std::move(request), [self = shared_from_this()](HttpResponse &&response) {
            ErrorInfo error = error_from_response(response, self->family);
            const bool may = !self->hooks.may_retry || self->hooks.may_retry();
            const int64_t wait = may ? retry_delay_ms(error, self->retries, self->max_retries) : -1;
            if (wait >= 0) {
                self->request = std::move(response.sent);  // the engine hands it back
                ++self->retries;
                log::info("{} failed ({}{}): retry {} of {} in {} ms", self->what,
                          error.http_status ? "HTTP " + std::to_string(error.http_status)
                                            : std::string(status_name(error.status)),
                          error.cloud_code.empty() ? "" : ", " + error.cloud_code, self->retries,
                          self->max_retries, wait);
                return self->op->after(wait, [self] { self->send(); });
            }
            self->answer(std::move(response), std::move(error), self->retries + 1);
        });
    }
};

}  // namespace

void send_with_retries(Operation &op, HttpRequest request, int max_retries, ErrorFamily family,
                       std::string what,
                       std::function<void(HttpResponse &&, ErrorInfo &&, int)> answer,
                       RetryHooks hooks) {
    auto attempt = std::make_shared<Attempt>();
    attempt->op = &op;
    attempt->request = std::move(request);
    attempt->max_retries = max_retries;
    attempt->family = family;
    attempt->what = std::move(what);
    attempt->answer = std::move(answer);
    attempt->hooks = std::move(hooks);
    attempt->send();
}

}  // namespace elizacloud
