// Following a container's deployment (C§6): POST /api/v1/containers answers 202 with the
// container record (status pending) and polling hints {endpoint, intervalMs,
// expectedDurationMs}; the container then moves through building and deploying to running, or
// ends failed, stopped or suspended. The record is read again every interval — GET
// /api/v1/containers/{id} on milady, the list on eliza (which has no single-container route) —
// until it runs, under the client's job timeout; the list too while the generation is unknown.
// Each status is reported as progress (the container's id as the job id).
#include <memory>
#include <optional>
#include <utility>

#include "api/cloud_client.hpp"
#include "api/cloud_errors.hpp"
#include "api/registry.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

namespace elizacloud {

struct CloudClient::ContainerFollower : std::enable_shared_from_this<ContainerFollower> {
    CloudClient *client;  // valid: the client waits for its operations before it goes
    Operation *op;        // valid: every step runs inside the operation's own callbacks
    ProgressCallback progress;
    std::string id;
    std::string last_status;
    int interval_ms = 0;
    int polls = 0;

    void report(const std::string &status) {
        if (!progress || status == last_status) return;
        last_status = status;
        try {
            progress(JobProgress{"", id, status, polls});
        } catch (const std::exception &e) {
            log::warn("container progress callback threw: {}", e.what());
        }
    }

    void on_start_answer(HttpResponse &&response) {
        json::Document doc;
        ErrorInfo error = parse_cloud_envelope(response, doc);
        if (!error.ok()) return op->fail(std::move(error));
        const json::Value *data = json::member(doc, "data");
        if (!data || !data->IsObject())
            return op->fail(
                ErrorInfo::make(Status::Protocol, "the cloud's answer has no container"));
        id = json::get_string(*data, "id").value_or("");
        if (id.empty())
            return op->fail(ErrorInfo::make(Status::Protocol, "the container record has no id"));
        const ClientOptions &options = client->options_;
        interval_ms = options.job_poll_interval_ms > 0 ? options.job_poll_interval_ms
                                                       : options.job_default_poll_interval_ms;
        if (const json::Value *polling = json::member(doc, "polling");
            options.job_poll_interval_ms <= 0 && polling) {
            if (auto ms = json::get_number(*polling, "intervalMs"); ms && *ms > 0 && *ms < 3.6e6)
                interval_ms = static_cast<int>(*ms);
        }
        const int timeout = options.job_timeout_ms;
        op->set_deadline(timeout, ErrorInfo::make(Status::Timeout,
                                                  "container " + id + " was not running within " +
                                                      std::to_string(timeout) + " ms"));
        log::info("following the deployment of container {}", id);
        judge(*data);
    }

    // Done when the record says running; failed when it stopped short of it; else poll again.
    void judge(const json::Value &record) {
        const std::string status = json::get_string(record, "status").value_or("");
        report(status);
        if (status == "running") return op->succeed(json::stringify(record));
        if (status == "failed" || status == "stopped" || status == "suspended") {
            std::string why = json::get_string(record, "error_message").value_or("");
            if (why.empty()) why = json::get_string(record, "errorMessage").value_or("");
            ErrorInfo e =
                ErrorInfo::make(Status::ProvisionFailed,
                                bounded_message("container " + id + " ended " + status +
                                                (why.empty() ? std::string() : ": " + why)));
            return op->fail(std::move(e));
        }
        schedule_poll();
    }

    void schedule_poll() {
        auto self = shared_from_this();
        op->after(interval_ms, [self] { self->poll(); });
    }

    void poll() {
        auto self = shared_from_this();
        // The list exists on both generations: used when the generation is not known (a handle
        // on "auto" has not needed to tell yet).
        const bool eliza = client->generation_.load() != api::Generation::Milady;
        HttpRequest request = eliza ? client->request_for(api::operation("containers.list"),
                                                          json::Document(rapidjson::kObjectType))
                                    : client->request_for("containers.get", "id", id);
        op->request(std::move(request),
                    [self, eliza](HttpResponse &&r) { self->on_poll(std::move(r), eliza); });
    }

    void on_poll(HttpResponse &&response, bool from_list) {
        ++polls;
        json::Document doc;
        ErrorInfo error = parse_cloud_envelope(response, doc);
        if (!error.ok()) return op->fail(std::move(error));
        const json::Value *data = json::member(doc, "data");
        const json::Value *record = nullptr;
        if (from_list && data && data->IsArray()) {
            for (const auto &c : data->GetArray())
                if (json::get_string(c, "id") == std::optional<std::string>(id)) record = &c;
            if (!record)
                return op->fail(
                    ErrorInfo::make(Status::NotFound,
                                    "container " + id + " is gone from the list while deploying"));
        } else {
            record = data && data->IsObject() ? data : nullptr;
        }
        if (!record) return op->fail(ErrorInfo::make(Status::Protocol, "container record missing"));
        judge(*record);
    }
};

OperationId CloudClient::follow_container_call(const api::OperationSpec &, HttpRequest first,
                                               OpCallback done, ProgressCallback progress) {
    auto follower = std::make_shared<ContainerFollower>();
    follower->client = this;
    follower->progress = std::move(progress);
    return ops_.start(std::move(done), [follower, first = std::move(first)](Operation &op) {
        follower->op = &op;
        op.request(first,
                   [follower](HttpResponse &&r) { follower->on_start_answer(std::move(r)); });
    });
}

}  // namespace elizacloud
