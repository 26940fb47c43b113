// Following a lifecycle job (C§2.8–§2.9, C§8 item 4, E§2.17): provision, resume, restore — and on
// the eliza generation create, wake, sleep, suspend, delete and snapshot too — may answer 202
// (job created) or 409 with success:true (job already running); both carry a job id that is
// polled at GET /api/v1/jobs/{id} reading data.status until completed or failed. The job, not
// the agent status, is the signal: the agent can show "error" while its job retries.
#include <memory>
#include <optional>
#include <utility>

#include "api/call_params.hpp"
#include "api/cloud_client.hpp"
#include "api/cloud_errors.hpp"
#include "api/registry.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

namespace elizacloud {

struct CloudClient::JobFollower : std::enable_shared_from_this<JobFollower> {
    CloudClient *client;             // valid: the client waits for its operations before it goes
    Operation *op;                   // valid: every step runs inside the operation's own callbacks
    const api::OperationSpec *spec;  // a registry row: static
    std::string agent_id;            // empty for a create until its answer names the agent
    ProgressCallback progress;
    std::string start_data = "{}";  // the first answer's data (JobEnd::StartData)
    std::optional<bool> created;    // a create's top-level "created"
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

    // The agent a create's answer names (every branch of the eliza create carries data.id).
    void learn_agent(const json::Value &data) {
        if (!agent_id.empty()) return;
        agent_id =
            json::get_string(data, "id").value_or(json::get_string(data, "agentId").value_or(""));
    }

    // What the call returns: the record, with a create's "created" flag kept.
    void succeed(const json::Value &record) {
        if (spec->result != "AgentCreated" || !created || !record.IsObject())
            return op->succeed(json::stringify(record));
        json::Document out;
        out.CopyFrom(record, out.GetAllocator());
        json::set(out, "created", json::Value(*created), out.GetAllocator());
        op->succeed(json::stringify(out));
    }

    // The first answer (POST …/provision | resume | restore | create | wake …).
    void on_start_answer(HttpResponse &&response) {
        json::Document doc;
        bool parsed = json::parse(response.body, doc) && doc.IsObject();
        bool job_answer = response.error.ok() && (response.http_status == 202 ||
                                                  (response.http_status == 409 && parsed &&
                                                   json::get_bool(doc, "success").value_or(false)));
        if (!job_answer) {
            ErrorInfo error = parse_cloud_envelope(response, doc);
            if (!error.ok()) return op->fail(std::move(error));
            created = json::get_bool(doc, "created");
            const json::Value *data = json::member(doc, "data");
            if (!data || !data->IsObject()) {
                // {success:true} alone: milady's delete.
                if (spec->shape == api::ResultShape::Optional) return op->succeed("{}");
                return op->fail(
                    ErrorInfo::make(Status::Protocol, "the cloud's response has no data"));
            }
            learn_agent(*data);
            if (spec->fetch_agent_after) return fetch_agent();
            return succeed(*data);  // the fast path: already running, or done at once
        }
        if (!parsed) {
            ErrorInfo error = parse_json_body(response, doc);
            if (error.ok())
                error = ErrorInfo::make(Status::Protocol, "job answer is not an object");
            return op->fail(std::move(error));
        }
        created = json::get_bool(doc, "created");
        const json::Value *data = json::member(doc, "data");
        if (data && data->IsObject()) {
            learn_agent(*data);
            start_data = json::stringify(*data);
        }
        auto id = data ? json::get_string(*data, "jobId") : std::nullopt;
        update_interval(doc, true);
        const int timeout = client->options_.job_timeout_ms;
        op->set_deadline(
            timeout,
            ErrorInfo::make(Status::Timeout, std::string(spec->name) + " did not finish within " +
                                                 std::to_string(timeout) + " ms"));
        if (!id || id->empty()) {
            // Accepted without a job id (E§2.4, §2.8, §2.14): a restore coordinator's
            // "accepted" is the answer; a warm-pool recovery restarts the agent in a job that
            // only the agent record names (activeJob).
            if (data && json::get_string(*data, "status") == std::optional<std::string>("accepted"))
                return op->succeed(start_data);
            if (agent_id.empty())
                return op->fail(
                    ErrorInfo::make(Status::Protocol, "the cloud's job answer has no jobId"));
            log::info("{} of agent {} accepted without a job id: watching the agent", spec->name,
                      agent_id);
            return schedule_watch();
        }
        job_id = *id;
        log::info("following job {} of {} for agent {}", job_id, spec->name, agent_id);
        report(json::get_string(*data, "status").value_or("pending"));
        schedule_poll();
    }

    // Watching the agent record until it names its job (activeJob), or runs with none left.
    void schedule_watch() {
        auto self = shared_from_this();
        op->after(interval_ms, [self] {
            HttpRequest request =
                self->client->request_for("agents.get", "agentId", self->agent_id);
            self->op->request(std::move(request),
                              [self](HttpResponse &&r) { self->on_watch(std::move(r)); });
        });
    }

    void on_watch(HttpResponse &&response) {
        ++polls;
        json::Document doc;
        ErrorInfo error = parse_cloud_envelope(response, doc);
        if (!error.ok()) return op->fail(std::move(error));
        const json::Value *data = json::member(doc, "data");
        if (!data || !data->IsObject())
            return op->fail(ErrorInfo::make(Status::Protocol, "agent record missing"));
        const json::Value *active = json::member(*data, "activeJob");
        if (auto id = active && active->IsObject() ? json::get_string(*active, "id") : std::nullopt;
            id && !id->empty()) {
            job_id = *id;
            log::info("following job {} of agent {} (its activeJob)", job_id, agent_id);
            report(json::get_string(*active, "status").value_or("pending"));
            return schedule_poll();
        }
        const std::string status = json::get_string(*data, "status").value_or("");
        report(status);
        if (status == "running") {
            if (spec->job_end == api::JobEnd::Agent) return succeed(*data);
            return op->succeed(start_data);
        }
        if (status == "error")
            return op->fail(ErrorInfo::make(
                Status::ProvisionFailed,
                bounded_message(json::get_string(*data, "errorMessage")
                                    .value_or("the agent ended in the error state"))));
        schedule_watch();
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
        if (*status == "completed") return finish(*data);
        if (*status == "failed") {
            std::string message = json::get_string(*data, "error").value_or("");
            if (message.empty()) {
                if (const json::Value *result = json::member(*data, "result"))
                    message = json::get_string(*result, "error").value_or("");
            }
            if (message.empty()) message = "the " + std::string(spec->name) + " job failed";
            return op->fail(ErrorInfo::make(Status::ProvisionFailed, bounded_message(message)));
        }
        update_interval(doc, false);
        schedule_poll();
    }

    // A completed job: what the row returns then.
    void finish(const json::Value &job) {
        switch (spec->job_end) {
            case api::JobEnd::Agent:
                return fetch_agent();
            case api::JobEnd::StartData:
                return op->succeed(start_data);
            case api::JobEnd::JobResult: {
                const json::Value *result = json::member(job, "result");
                if (!result || !result->IsObject())
                    return op->fail(ErrorInfo::make(
                        Status::Protocol,
                        "the completed " + std::string(spec->name) + " job has no result object"));
                return op->succeed(json::stringify(*result));
            }
        }
    }

    // The final agent record, so every path ends with the same kind of JSON.
    void fetch_agent() {
        if (agent_id.empty())
            return op->fail(ErrorInfo::make(Status::Protocol, "the cloud's answer names no agent"));
        auto self = shared_from_this();
        HttpRequest request = client->request_for("agents.get", "agentId", agent_id);
        op->request(std::move(request), [self](HttpResponse &&response) {
            json::Document doc;
            ErrorInfo error = parse_cloud_envelope(response, doc);
            if (!error.ok()) return self->op->fail(std::move(error));
            const json::Value *data = json::member(doc, "data");
            if (!data || !data->IsObject())
                return self->op->fail(ErrorInfo::make(Status::Protocol, "agent record missing"));
            self->succeed(*data);
        });
    }
};

OperationId CloudClient::follow_job_call(const api::OperationSpec &spec, std::string agent_id,
                                         HttpRequest first, OpCallback done,
                                         ProgressCallback progress) {
    auto follower = std::make_shared<JobFollower>();
    follower->client = this;
    follower->spec = &spec;
    follower->agent_id = std::move(agent_id);
    follower->progress = std::move(progress);
    return ops_.start(std::move(done), [follower, first = std::move(first)](Operation &op) {
        follower->op = &op;
        op.request(first,
                   [follower](HttpResponse &&r) { follower->on_start_answer(std::move(r)); });
    });
}

OperationId CloudClient::start_agent_async(std::string_view agent_id, OpCallback done,
                                           ProgressCallback progress) {
    json::Document params(rapidjson::kObjectType);
    json::set(params, "agentId", json::string_value(agent_id, params.GetAllocator()),
              params.GetAllocator());
    const api::OperationSpec &provision = api::operation("agents.provision");
    api::check_params(provision, json::stringify(params), params);
    if (generation_.load() != api::Generation::Eliza)
        return call_checked(provision, params, std::move(done), std::move(progress));
    // Eliza: a sleeping agent's container is gone; only wake brings it back with its state
    // (E§2.16a). Which one to send is known after one look at the agent.
    // A pointer to the static row: the lambdas below copy what they capture by value.
    const api::OperationSpec *wake = &api::operation("agents.wake");
    auto follower = std::make_shared<JobFollower>();
    follower->client = this;
    follower->spec = &provision;
    follower->agent_id = std::string(agent_id);
    follower->progress = std::move(progress);
    HttpRequest look = request_for("agents.get", "agentId", agent_id);
    HttpRequest start = request_for(provision, params);
    HttpRequest wake_request = request_for(*wake, params);
    return ops_.start(std::move(done), [follower, wake, look = std::move(look),
                                        start = std::move(start),
                                        wake_request = std::move(wake_request)](Operation &op) {
        follower->op = &op;
        op.request(look, [follower, wake, start, wake_request](HttpResponse &&answer) {
            json::Document doc;
            ErrorInfo error = parse_cloud_envelope(answer, doc);
            if (!error.ok()) return follower->op->fail(std::move(error));
            const json::Value *data = json::member(doc, "data");
            const bool sleeping =
                data && json::get_string(*data, "status") == std::optional<std::string>("sleeping");
            if (sleeping) {
                log::info("agent {} is sleeping: waking it", follower->agent_id);
                follower->spec = wake;
            }
            follower->op->request(sleeping ? wake_request : start, [follower](HttpResponse &&r) {
                follower->on_start_answer(std::move(r));
            });
        });
    });
}

}  // namespace elizacloud
