// Following a provisioning job (C§2.8–§2.9, C§8 item 4): provision, resume and restore may
// answer 202 (job created) or 409 with success:true (job already running); both carry a job id
// that is polled at GET /api/v1/jobs/{id} reading data.status until completed or failed. The
// job, not the agent status, is the signal: the agent can show "error" while its job retries.
#include <memory>
#include <utility>

#include "api/cloud_client.hpp"
#include "api/cloud_errors.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

namespace elizacloud {

struct CloudClient::JobFollower : std::enable_shared_from_this<JobFollower> {
    CloudClient *client;  // valid: the client waits for its operations before it goes
    Operation *op;        // valid: every step runs inside the operation's own callbacks
    std::string agent_id;
    bool fetch_agent_on_200;
    ProgressCallback progress;
    std::string job_id;
    int interval_ms = 0;
    int polls = 0;

    void report(const std::string &status) {
        if (!progress) return;
        try {
            progress(JobProgress{agent_id, job_id, status, polls});
        } catch (const std::exception &e) {
            log::warn("job progress callback threw: {}", e.what());
        }
    }

    void update_interval(const json::Value &doc, bool first) {
        const ClientOptions &options = client->options_;
        if (options.job_poll_interval_ms > 0) {
            interval_ms = options.job_poll_interval_ms;
            return;
        }
        if (const json::Value *polling = json::member(doc, "polling")) {
            if (auto ms = json::get_number(*polling, "intervalMs"); ms && *ms > 0 && *ms < 3.6e6) {
                interval_ms = static_cast<int>(*ms);
                return;
            }
        }
        if (first) interval_ms = options.job_default_poll_interval_ms;
    }

    // The answer of POST …/provision | resume | restore.
    void on_start_answer(HttpResponse &&response) {
        json::Document doc;
        bool parsed = json::parse(response.body, doc) && doc.IsObject();
        bool job_answer = response.error.ok() && (response.http_status == 202 ||
                                                  (response.http_status == 409 && parsed &&
                                                   json::get_bool(doc, "success").value_or(false)));
        if (!job_answer) {
            ErrorInfo error = parse_cloud_envelope(response, doc);
            if (!error.ok()) return op->fail(std::move(error));
            const json::Value *data = json::member(doc, "data");
            if (!data || !data->IsObject())
                return op->fail(
                    ErrorInfo::make(Status::Protocol, "the cloud's response has no data"));
            if (fetch_agent_on_200) return fetch_agent();
            return op->succeed(json::stringify(*data));  // the fast path: already running
        }
        if (!parsed) {
            ErrorInfo error = parse_json_body(response, doc);
            if (error.ok())
                error = ErrorInfo::make(Status::Protocol, "job answer is not an object");
            return op->fail(std::move(error));
        }
        const json::Value *data = json::member(doc, "data");
        auto id = data ? json::get_string(*data, "jobId") : std::nullopt;
        if (!id || id->empty())
            return op->fail(
                ErrorInfo::make(Status::Protocol, "the cloud's job answer has no jobId"));
        job_id = *id;
        update_interval(doc, true);
        log::info("following provisioning job {} for agent {}", job_id, agent_id);
        report(json::get_string(*data, "status").value_or("pending"));
        int timeout = client->options_.job_timeout_ms;
        op->set_deadline(timeout,
                         ErrorInfo::make(Status::Timeout, "provisioning job " + job_id +
                                                              " did not finish within " +
                                                              std::to_string(timeout) + " ms"));
        schedule_poll();
    }

    void schedule_poll() {
        auto self = shared_from_this();
        op->after(interval_ms, [self] { self->poll(); });
    }

    void poll() {
        auto self = shared_from_this();
        HttpRequest request = client->request_for("jobs.get", "jobId", job_id);
        op->request(std::move(request), [self](HttpResponse &&r) { self->on_poll(std::move(r)); });
    }

    void on_poll(HttpResponse &&response) {
        ++polls;
        json::Document doc;
        ErrorInfo error = parse_cloud_envelope(response, doc);
        if (!error.ok()) return op->fail(std::move(error));
        const json::Value *data = json::member(doc, "data");
        auto status = data ? json::get_string(*data, "status") : std::nullopt;
        if (!status) return op->fail(ErrorInfo::make(Status::Protocol, "job record has no status"));
        report(*status);
        if (*status == "completed") return fetch_agent();
        if (*status == "failed") {
            std::string message = json::get_string(*data, "error").value_or("");
            if (message.empty()) {
                if (const json::Value *result = json::member(*data, "result"))
                    message = json::get_string(*result, "error").value_or("");
            }
            if (message.empty()) message = "the provisioning job failed";
            return op->fail(ErrorInfo::make(Status::ProvisionFailed, bounded_message(message)));
        }
        update_interval(doc, false);
        schedule_poll();
    }

    // The final agent record, so every path ends with the same kind of JSON.
    void fetch_agent() {
        auto self = shared_from_this();
        HttpRequest request = client->request_for("agents.get", "agentId", agent_id);
        op->request(std::move(request), [self](HttpResponse &&response) {
            json::Document doc;
            ErrorInfo error = parse_cloud_envelope(response, doc);
            if (!error.ok()) return self->op->fail(std::move(error));
            const json::Value *data = json::member(doc, "data");
            if (!data || !data->IsObject())
                return self->op->fail(ErrorInfo::make(Status::Protocol, "agent record missing"));
            self->op->succeed(json::stringify(*data));
        });
    }
};

OperationId CloudClient::follow_job_call(std::string agent_id, HttpRequest first,
                                         bool fetch_agent_on_200, OpCallback done,
                                         ProgressCallback progress) {
    auto follower = std::make_shared<JobFollower>();
    follower->client = this;
    follower->agent_id = std::move(agent_id);
    follower->fetch_agent_on_200 = fetch_agent_on_200;
    follower->progress = std::move(progress);
    return ops_.start(std::move(done), [follower, first = std::move(first)](Operation &op) {
        follower->op = &op;
        op.request(first,
                   [follower](HttpResponse &&r) { follower->on_start_answer(std::move(r)); });
    });
}

}  // namespace elizacloud
