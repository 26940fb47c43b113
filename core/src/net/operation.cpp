#include "net/operation.hpp"

#include <atomic>
#include <chrono>
#include <exception>
#include <vector>

#include "util/log.hpp"

namespace elizacloud {
namespace {

// Process-wide so that ids from different owners never collide in the C ABI's events.
std::atomic<OperationId> g_next_operation_id{1};

}  // namespace

Operation::Operation(OperationId id, Engine *engine, std::shared_ptr<OperationRegistry> registry,
                     OpCallback done)
    : id_(id), engine_(engine), registry_(std::move(registry)), done_(std::move(done)) {}

void Operation::guarded(const std::function<void()> &step) {
    try {
        step();
    } catch (const Error &e) {
        fail(e.info());
    } catch (const std::bad_alloc &) {
        fail(ErrorInfo::make(Status::NoMemory, "out of memory"));
    } catch (const std::exception &e) {
        fail(ErrorInfo::make(Status::Internal, e.what()));
    }
}

void Operation::request(HttpRequest req, std::function<void(HttpResponse &&)> next) {
    if (finished_) return;
    uint64_t step = ++step_;
    auto self = shared_from_this();
    RequestId id = engine_->submit(std::move(req),
                                   [self, step, next = std::move(next)](HttpResponse &&response) {
                                       self->completed_step_ = step;
                                       if (step == self->step_) self->request_ = 0;
                                       if (self->finished_) return;
                                       self->guarded([&] { next(std::move(response)); });
                                   });
    // The engine may have completed the request before submit() returned.
    if (completed_step_ != step) request_ = id;
}

void Operation::after(int64_t delay_ms, std::function<void()> next) {
    if (finished_) return;
    if (timer_ != 0) engine_->cancel_timer(timer_);
    auto self = shared_from_this();
    timer_ = engine_->set_timer(delay_ms < 0 ? 0 : delay_ms, [self, next = std::move(next)] {
        self->timer_ = 0;
        if (self->finished_) return;
        self->guarded(next);
    });
}

void Operation::set_deadline(int64_t ms, ErrorInfo error) {
    if (finished_) return;
    if (deadline_ != 0) engine_->cancel_timer(deadline_);
    auto self = shared_from_this();
    deadline_ = engine_->set_timer(ms < 0 ? 0 : ms, [self, error = std::move(error)] {
        self->deadline_ = 0;
        self->fail(error);
    });
}

void Operation::clear_deadline() {
    if (deadline_ != 0) engine_->cancel_timer(deadline_);
    deadline_ = 0;
}

void Operation::finish(OpResult result) {
    if (finished_) return;
    finished_ = true;
    if (timer_ != 0) engine_->cancel_timer(timer_);
    if (deadline_ != 0) engine_->cancel_timer(deadline_);
    timer_ = deadline_ = 0;
    if (request_ != 0) {
        // Deferred: finish() may run inside the request's own data callback, where tearing the
        // transfer down is not allowed. Its completion arrives later and is ignored.
        Engine *engine = engine_;
        RequestId request = request_;
        engine_->post([engine, request] { engine->cancel(request); });
        request_ = 0;
    }
    auto self = shared_from_this();  // the registry may hold the last reference
    OpCallback done = std::move(done_);
    if (done) {
        try {
            done(std::move(result));
        } catch (const std::exception &e) {
            log::error("operation {} completion callback threw: {}", id_, e.what());
        } catch (...) {
            log::error("operation {} completion callback threw", id_);
        }
    }
    // Forgotten only after the callback returned, so wait_idle() covers the callback too.
    std::lock_guard<std::mutex> lock(registry_->mutex);
    registry_->live.erase(id_);
    if (registry_->live.empty()) registry_->idle.notify_all();
}

OperationSet::OperationSet(std::shared_ptr<Engine> engine)
    : engine_(std::move(engine)), registry_(std::make_shared<OperationRegistry>()) {
    if (!engine_) throw Error(Status::InvalidArgument, "an engine is required");
}

OperationSet::~OperationSet() {
    cancel_all();
    if (!engine_->in_io_thread()) wait_idle();
}

OperationId OperationSet::start(OpCallback done, std::function<void(Operation &)> first_step) {
    OperationId id = g_next_operation_id.fetch_add(1);
    auto op = std::make_shared<Operation>(id, engine_.get(), registry_, std::move(done));
    {
        std::lock_guard<std::mutex> lock(registry_->mutex);
        registry_->live.emplace(id, op);
    }
    // Posted even from the I/O thread, so a completion never runs inside the caller's start
    // call and a cancel() issued right after start() is ordered after the first step.
    engine_->post([op, first_step = std::move(first_step)] {
        if (op->finished()) return;
        op->guarded([&] { first_step(*op); });
    });
    return id;
}

void OperationSet::cancel(OperationId id) {
    std::shared_ptr<Operation> op;
    {
        std::lock_guard<std::mutex> lock(registry_->mutex);
        auto it = registry_->live.find(id);
        if (it == registry_->live.end()) return;
        op = it->second;
    }
    auto cancel_now = [op] { op->fail(ErrorInfo::make(Status::Cancelled, "operation cancelled")); };
    if (engine_->in_io_thread()) {
        cancel_now();
    } else {
        engine_->post(cancel_now);
    }
}

void OperationSet::cancel_all() {
    std::vector<OperationId> ids;
    {
        std::lock_guard<std::mutex> lock(registry_->mutex);
        for (const auto &entry : registry_->live) ids.push_back(entry.first);
    }
    for (OperationId id : ids) cancel(id);
}

void OperationSet::wait_idle() {
    std::unique_lock<std::mutex> lock(registry_->mutex);
    registry_->idle.wait(lock, [&] { return registry_->live.empty(); });
}

std::string value_or_throw(OpResult &&result) {
    if (!result.error.ok()) throw Error(std::move(result.error));
    return std::move(result.json);
}

}  // namespace elizacloud
