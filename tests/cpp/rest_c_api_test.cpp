// The REST section of the C ABI as a host sees it (libelizacloud.so and elizacloud.h only): the
// mountable dispatcher with its response struct and event stream, configuration, the server's
// start/port/stop, and a cloud destroyed while its server still runs.
#include <elizacloud/elizacloud.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <string>

namespace {

struct Cloud {
    ec_cloud *handle = nullptr;
    Cloud() {
        ec_cloud_options o;
        ec_cloud_options_init(&o, sizeof o);
        o.no_config_file = 1;
        o.insecure_local = 1;
        o.base_url = "http://127.0.0.1:9";  // never reached
        EXPECT_EQ(ec_cloud_create(&o, &handle), EC_OK) << ec_last_error_message();
    }
    ~Cloud() { ec_cloud_destroy(handle); }
};

struct Response {
    ec_rest_response *r = nullptr;
    ~Response() { ec_rest_response_free(r); }
    std::string body() const { return std::string(r->body, r->body_len); }
};

ec_status dispatch(ec_cloud *cloud, const char *method, const char *target, Response &out,
                   const char *headers = nullptr, const std::string &body = {}) {
    return ec_cloud_rest_dispatch(cloud, method, target, headers,
                                  body.empty() ? nullptr : body.data(), body.size(), &out.r);
}

TEST(RestCApi, DispatchAnswersWithAResponseStruct) {
    Cloud cloud;
    Response r;
    ASSERT_EQ(dispatch(cloud.handle, "GET", "/api/cloud/status", r), EC_OK);
    EXPECT_EQ(r.r->struct_size, sizeof(ec_rest_response));
    EXPECT_EQ(r.r->status, 200);
    EXPECT_EQ(r.r->handled, 1);
    EXPECT_EQ(r.r->streaming, 0);
    EXPECT_NE(std::string(r.r->headers_json).find(R"("Content-Type":"application/json")"),
              std::string::npos);
    EXPECT_NE(r.body().find(R"("reason":"runtime_not_started")"), std::string::npos);

    Response other;
    ASSERT_EQ(dispatch(cloud.handle, "GET", "/health", other), EC_OK);
    EXPECT_EQ(other.r->handled, 0);
    EXPECT_EQ(other.r->status, 404);

    Response removed;
    ASSERT_EQ(dispatch(cloud.handle, "POST", "/api/cloud/disconnect", removed), EC_OK);
    EXPECT_EQ(removed.r->credentials, EC_REST_CREDENTIALS_REMOVED);
    char *data = nullptr;
    EXPECT_EQ(ec_rest_response_read(removed.r, 0, &data, nullptr), EC_ERR_EMPTY);
}

TEST(RestCApi, ConfigureSetsTheToken) {
    Cloud cloud;
    ec_rest_options o;
    ASSERT_EQ(ec_rest_options_init(&o, sizeof o), EC_OK);
    o.token = "abc";
    ASSERT_EQ(ec_cloud_rest_configure(cloud.handle, &o), EC_OK);
    Response denied, allowed;
    ASSERT_EQ(dispatch(cloud.handle, "GET", "/api/cloud/status", denied), EC_OK);
    EXPECT_EQ(denied.r->status, 401);
    EXPECT_EQ(denied.body(), R"({"error":"Unauthorized"})");
    ASSERT_EQ(dispatch(cloud.handle, "GET", "/api/cloud/status", allowed,
                       R"({"Authorization":"Bearer abc"})"),
              EC_OK);
    EXPECT_EQ(allowed.r->status, 200);
}

TEST(RestCApi, BadArguments) {
    Cloud cloud;
    Response r;
    EXPECT_EQ(dispatch(cloud.handle, "GET", "/api/cloud/status", r, "[1]"),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_rest_dispatch(cloud.handle, "GET", nullptr, nullptr, nullptr, 0, &r.r),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_rest_dispatch(cloud.handle, "POST", "/x", nullptr, nullptr, 3, &r.r),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_rest_dispatch(nullptr, "GET", "/x", nullptr, nullptr, 0, &r.r),
              EC_ERR_INVALID_ARGUMENT);
    ec_rest_response_free(nullptr);
    ec_rest_server_stop(nullptr);
    EXPECT_EQ(ec_rest_server_port(nullptr), -1);
}

TEST(RestCApi, EventStreamIsReadInPieces) {
    Cloud cloud;
    Response r;
    ASSERT_EQ(dispatch(cloud.handle, "GET", "/api/cloud/events", r), EC_OK);
    EXPECT_EQ(r.r->streaming, 1);
    EXPECT_NE(std::string(r.r->headers_json).find("text/event-stream"), std::string::npos);
    char *data = nullptr;
    size_t len = 0;
    ASSERT_EQ(ec_rest_response_read(r.r, 1000, &data, &len), EC_OK);
    std::string first(data, len);
    ec_free(data);
    EXPECT_NE(first.find("event: snapshot\ndata: {\"state\":\"disconnected\",\"agentId\":null}"),
              std::string::npos)
        << first;
    EXPECT_EQ(ec_rest_response_read(r.r, 20, &data, &len), EC_ERR_TIMEOUT);
}

TEST(RestCApi, ServerStartsOnAnEphemeralPortAndStops) {
    Cloud cloud;
    ec_rest_server_options o;
    ASSERT_EQ(ec_rest_server_options_init(&o, sizeof o), EC_OK);
    o.port = EC_REST_PORT_EPHEMERAL;
    o.token = "";
    ec_rest_server *server = nullptr;
    ASSERT_EQ(ec_rest_server_start(cloud.handle, &o, &server), EC_OK) << ec_last_error_message();
    const int port = ec_rest_server_port(server);
    EXPECT_GT(port, 0);
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get("/api/cloud/status");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    ec_rest_server_stop(server);
    EXPECT_FALSE(client.Get("/api/cloud/status"));

    o.host = "0.0.0.0";
    EXPECT_EQ(ec_rest_server_start(cloud.handle, &o, &server), EC_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ec_last_error_message()).find("token"), std::string::npos);
}

TEST(RestCApi, TheServerServesTheDashboardUnlessTurnedOff) {
    Cloud cloud;
    for (const int32_t dashboard : {0, 1, -1}) {
        ec_rest_server_options o;
        ASSERT_EQ(ec_rest_server_options_init(&o, sizeof o), EC_OK);
        o.port = EC_REST_PORT_EPHEMERAL;
        o.token = "";
        o.dashboard = dashboard;
        ec_rest_server *server = nullptr;
        ASSERT_EQ(ec_rest_server_start(cloud.handle, &o, &server), EC_OK);
        httplib::Client client("127.0.0.1", ec_rest_server_port(server));
        auto res = client.Get("/");
        ASSERT_TRUE(res);
        if (dashboard >= 0) {
            EXPECT_EQ(res->status, 200) << dashboard;
            EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
            EXPECT_NE(res->get_header_value("Content-Security-Policy").find("script-src 'self'"),
                      std::string::npos);
        } else {
            EXPECT_EQ(res->status, 404);
        }
        ec_rest_server_stop(server);
    }
}

TEST(RestCApi, DestroyingTheCloudStopsItsServers) {
    ec_cloud_options co;
    ec_cloud_options_init(&co, sizeof co);
    co.no_config_file = 1;
    ec_cloud *cloud = nullptr;
    ASSERT_EQ(ec_cloud_create(&co, &cloud), EC_OK);
    ec_rest_server_options o;
    ec_rest_server_options_init(&o, sizeof o);
    o.port = EC_REST_PORT_EPHEMERAL;
    o.token = "";
    ec_rest_server *server = nullptr;
    ASSERT_EQ(ec_rest_server_start(cloud, &o, &server), EC_OK);
    Response stream;
    ASSERT_EQ(dispatch(cloud, "GET", "/api/cloud/events", stream), EC_OK);
    ec_cloud_destroy(cloud);
    httplib::Client client("127.0.0.1", ec_rest_server_port(server));
    EXPECT_FALSE(client.Get("/api/cloud/status"));
    ec_rest_server_stop(server);  // still valid, nothing left to do
    char *data = nullptr;
    while (ec_rest_response_read(stream.r, 0, &data, nullptr) == EC_OK) ec_free(data);
    EXPECT_EQ(ec_rest_response_read(stream.r, 0, &data, nullptr), EC_ERR_EMPTY);  // ended
}

}  // namespace
