// containers.deploy against the emulator on both generations: the deployment is followed through
// its statuses (each reported once as progress) until the container runs, read from GET
// /api/v1/containers/{id} on milady and from the list on eliza; a container that ends failed
// fails the call with the cloud's reason; the overall bound is the job timeout.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "breadth_suite.hpp"

namespace elizacloud {
namespace {

using test::Breadth;
using test::GenerationNames;
using test::Generations;
using test::str;

TYPED_TEST_SUITE(Breadth, Generations, GenerationNames);

constexpr const char *kWeb =
    R"({"name":"web","project_name":"site","ecr_image_uri":"repo/web:1","port":8080})";

OpResult deploy(CloudClient &c, const std::string &params, std::vector<std::string> &statuses) {
    return test::blocking(c).wait([&](OpCallback cb) {
        return c.call_async(
            "containers.deploy", params, std::move(cb),
            [&statuses](const JobProgress &p) { statuses.push_back(p.job_id + " " + p.status); });
    });
}

TYPED_TEST(Breadth, DeployFollowsTheContainerUntilItRuns) {
    ClientOptions options;
    options.generation = TypeParam::kGeneration;
    options.job_poll_interval_ms = 10;
    CloudClient client(this->engine_, test::emulator_base(this->emulator()), this->key_, options);
    std::vector<std::string> statuses;
    OpResult r = deploy(client, kWeb, statuses);
    ASSERT_TRUE(r.error.ok()) << r.error.message;
    json::Document record;
    ASSERT_TRUE(json::parse(r.json, record));
    EXPECT_EQ(str(record, "status"), "running");
    EXPECT_NE(str(record, "load_balancer_url"), "");
    const std::string id = str(record, "id");
    ASSERT_GE(statuses.size(), 2u);
    EXPECT_EQ(statuses.front(), id + " pending");
    EXPECT_EQ(statuses.back(), id + " running");
    for (size_t i = 1; i < statuses.size(); ++i) EXPECT_NE(statuses[i], statuses[i - 1]);
    const std::string poll_route =
        this->kEliza ? "GET /api/v1/containers" : "GET /api/v1/containers/{id}";
    EXPECT_GE(this->count(poll_route), 1);
    EXPECT_EQ(this->count("POST /api/v1/containers"), 1);
}

TYPED_TEST(Breadth, AClientThatDoesNotKnowTheGenerationYetFollowsThroughTheList) {
    ClientOptions options;
    options.generation = api::Generation::Unknown;  // nothing has needed to tell it yet
    options.job_poll_interval_ms = 10;
    CloudClient client(this->engine_, test::emulator_base(this->emulator()), this->key_, options);
    std::vector<std::string> statuses;
    const int64_t listed = this->count("GET /api/v1/containers");
    OpResult r = deploy(client, kWeb, statuses);
    ASSERT_TRUE(r.error.ok()) << r.error.message;
    EXPECT_NE(r.json.find(R"("status":"running")"), std::string::npos) << r.json;
    EXPECT_GT(this->count("GET /api/v1/containers"), listed);
}

TYPED_TEST(Breadth, ADeploymentThatFailsFailsTheCallWithTheCloudsReason) {
    ClientOptions options;
    options.generation = TypeParam::kGeneration;
    options.job_poll_interval_ms = 10;
    CloudClient client(this->engine_, test::emulator_base(this->emulator()), this->key_, options);
    std::vector<std::string> statuses;
    OpResult r = deploy(
        client, R"({"name":"bad","project_name":"site","ecr_image_uri":"repo/fail:1"})", statuses);
    EXPECT_EQ(r.error.status, Status::ProvisionFailed);
    EXPECT_NE(r.error.message.find("ended failed: health check failed"), std::string::npos)
        << r.error.message;
    ASSERT_FALSE(statuses.empty());
    EXPECT_NE(statuses.back().find("failed"), std::string::npos);

    // The job timeout bounds the whole deployment.
    options.job_timeout_ms = 60;
    CloudClient impatient(this->engine_, test::emulator_base(this->emulator()), this->key_,
                          options);
    this->emulator().control("POST", "/__emulator/config", R"({"provisionMs":60000})");
    r = deploy(impatient, kWeb, statuses);
    EXPECT_EQ(r.error.status, Status::Timeout) << r.error.message;
    this->emulator().control("POST", "/__emulator/config", R"({"provisionMs":150})");
}

}  // namespace
}  // namespace elizacloud
