// Tests only: a CloudClient operation waited for on the test's thread. The client itself is
// asynchronous (the handle does the waiting for hosts); these keep the tests short.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "api/cloud_client.hpp"
#include "util/json.hpp"

namespace elizacloud::test {

class BlockingClient {
public:
    explicit BlockingClient(CloudClient &client) : c_(client) {}

    // Starts the operation, waits for its completion (at most wait_ms, then cancels it and
    // answers Timeout) and returns its outcome.
    OpResult wait(const std::function<OperationId(OpCallback)> &start,
                  int wait_ms = kWaitUnlimited) {
        struct State {
            std::mutex mutex;
            std::condition_variable cv;
            std::optional<OpResult> result;
        };
        auto state = std::make_shared<State>();
        const OperationId id = start([state](OpResult &&r) {
            std::lock_guard<std::mutex> lock(state->mutex);
            state->result = std::move(r);
            state->cv.notify_all();
        });
        std::unique_lock<std::mutex> lock(state->mutex);
        auto done = [&] { return state->result.has_value(); };
        if (wait_ms < 0 || state->cv.wait_for(lock, std::chrono::milliseconds(wait_ms), done)) {
            state->cv.wait(lock, done);
            return std::move(*state->result);
        }
        lock.unlock();
        c_.cancel(id);
        lock.lock();
        state->cv.wait(lock, done);
        return OpResult{ErrorInfo::make(Status::Timeout, "timed out waiting"), {}};
    }
    std::string value(const std::function<OperationId(OpCallback)> &start,
                      int wait_ms = kWaitUnlimited) {
        return value_or_throw(wait(start, wait_ms));
    }

    std::string list_agents(int wait_ms = kWaitUnlimited) {
        return value([&](OpCallback cb) { return c_.list_agents_async(std::move(cb)); }, wait_ms);
    }
    std::string create_agent(std::string_view request_json, int wait_ms = kWaitUnlimited) {
        return value(
            [&](OpCallback cb) { return c_.create_agent_async(request_json, std::move(cb)); },
            wait_ms);
    }
    std::string get_agent(std::string_view agent_id, int wait_ms = kWaitUnlimited) {
        return value([&](OpCallback cb) { return c_.get_agent_async(agent_id, std::move(cb)); },
                     wait_ms);
    }
    void delete_agent(std::string_view agent_id, int wait_ms = kWaitUnlimited) {
        value([&](OpCallback cb) { return c_.delete_agent_async(agent_id, std::move(cb)); },
              wait_ms);
    }
    std::string provision(std::string_view agent_id, ProgressCallback progress = {},
                          int wait_ms = kWaitUnlimited) {
        return value(
            [&](OpCallback cb) { return c_.provision_async(agent_id, std::move(cb), progress); },
            wait_ms);
    }
    std::string resume(std::string_view agent_id, ProgressCallback progress = {},
                       int wait_ms = kWaitUnlimited) {
        return value(
            [&](OpCallback cb) { return c_.resume_async(agent_id, std::move(cb), progress); },
            wait_ms);
    }
    std::string restore(std::string_view agent_id, std::string_view backup_id = {},
                        ProgressCallback progress = {}, int wait_ms = kWaitUnlimited) {
        return value(
            [&](OpCallback cb) {
                return c_.restore_async(agent_id, backup_id, std::move(cb), progress);
            },
            wait_ms);
    }
    std::string suspend(std::string_view agent_id, int wait_ms = kWaitUnlimited) {
        return value([&](OpCallback cb) { return c_.suspend_async(agent_id, std::move(cb)); },
                     wait_ms);
    }
    std::string snapshot(std::string_view agent_id, int wait_ms = kWaitUnlimited) {
        return value([&](OpCallback cb) { return c_.snapshot_async(agent_id, std::move(cb)); },
                     wait_ms);
    }
    std::string list_backups(std::string_view agent_id, int wait_ms = kWaitUnlimited) {
        return value([&](OpCallback cb) { return c_.list_backups_async(agent_id, std::move(cb)); },
                     wait_ms);
    }
    // The reply text.
    std::string send_message(std::string_view agent_id, std::string_view text,
                             const ChatTarget &options = {}, int wait_ms = kWaitUnlimited) {
        return text_of(value(
            [&](OpCallback cb) {
                return c_.send_message_async(agent_id, text, options, std::move(cb));
            },
            wait_ms));
    }
    std::string get_status(std::string_view agent_id, int wait_ms = kWaitUnlimited) {
        return value([&](OpCallback cb) { return c_.get_status_async(agent_id, std::move(cb)); },
                     wait_ms);
    }
    // False for any cloud or transport failure; still throws InvalidArgument.
    bool heartbeat(std::string_view agent_id, int wait_ms = kWaitUnlimited) {
        return wait([&](OpCallback cb) { return c_.heartbeat_async(agent_id, std::move(cb)); },
                    wait_ms)
            .error.ok();
    }
    // The whole reply; on_chunk runs on the I/O thread as chunks arrive.
    std::string stream(std::string_view agent_id, std::string_view text,
                       const ChatTarget &options = {}, ChunkCallback on_chunk = {},
                       int wait_ms = kWaitUnlimited) {
        return text_of(value(
            [&](OpCallback cb) {
                return c_.stream_async(agent_id, text, options, on_chunk, std::move(cb));
            },
            wait_ms));
    }
    double credits_balance(bool fresh = false, int wait_ms = kWaitUnlimited) {
        json::Document doc;
        json::parse(
            value([&](OpCallback cb) { return c_.credits_balance_async(fresh, std::move(cb)); },
                  wait_ms),
            doc);
        return json::get_number(doc, "balance").value_or(0.0);
    }
    Identity get_user(int wait_ms = kWaitUnlimited) {
        return identity_from_json(
            value([&](OpCallback cb) { return c_.get_user_async(std::move(cb)); }, wait_ms));
    }
    std::string get_job(std::string_view job_id, int wait_ms = kWaitUnlimited) {
        return value([&](OpCallback cb) { return c_.get_job_async(job_id, std::move(cb)); },
                     wait_ms);
    }

private:
    static std::string text_of(const std::string &result) {
        json::Document doc;
        json::parse(result, doc);
        return json::get_string(doc, "text").value_or("");
    }

    CloudClient &c_;
};

inline BlockingClient blocking(CloudClient &client) {
    return BlockingClient(client);
}

}  // namespace elizacloud::test
