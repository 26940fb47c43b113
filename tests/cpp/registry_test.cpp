// The operation registry: the real rows pass their checks, each kind of defect is caught, the
// catalogue describes every row, and a call's parameters are checked against its row.
#include "api/registry.hpp"

#include <elizacloud/elizacloud.h>
#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

#include "api/call_params.hpp"
#include "util/error.hpp"
#include "util/json.hpp"

namespace elizacloud::api {
namespace {

TEST(Registry, TheRealRowsHaveNoDefects) {
    ASSERT_FALSE(operations().empty());
    EXPECT_EQ(check_rows(operations(), types()), std::vector<std::string>{});
    for (const OperationSpec *op : operations()) EXPECT_EQ(find_operation(op->name), op);
    EXPECT_EQ(find_operation("agents.nope"), nullptr);
    EXPECT_THROW(operation("agents.nope"), Error);
}

TEST(Registry, EveryExistingOperationIsARow) {
    for (const char *name :
         {"login",           "logout",        "status",      "credits",          "identity",
          "agents.list",     "agents.create", "agents.get",  "agents.delete",    "agents.provision",
          "agents.suspend",  "agents.resume", "connect",     "disconnect",       "send",
          "stream",          "agent.status",  "agent.alive", "backups.snapshot", "backups.list",
          "backups.restore", "jobs.get"})
        EXPECT_NE(find_operation(name), nullptr) << name;
}

TEST(Registry, TheCatalogueDescribesEveryRow) {
    json::Document doc;
    ASSERT_TRUE(json::parse(catalogue_json(), doc));
    ASSERT_TRUE(doc["operations"].IsArray());
    ASSERT_EQ(doc["operations"].Size(), operations().size());
    std::set<std::string> listed;
    for (const auto &op : doc["operations"].GetArray()) {
        listed.insert(op["name"].GetString());
        EXPECT_TRUE(op.HasMember("params") && op["params"].IsArray());
        EXPECT_TRUE(doc["types"].HasMember(
            std::string(op["result"].GetString())
                .substr(0, op["result"].GetStringLength() -
                               (std::string(op["result"].GetString()).ends_with("[]") ? 2 : 0))
                .c_str()));
    }
    EXPECT_EQ(listed.size(), operations().size());
    const auto *get = find_operation("agents.get");
    ASSERT_NE(get, nullptr);
    for (const auto &op : doc["operations"].GetArray()) {
        if (std::string(op["name"].GetString()) != "agents.get") continue;
        EXPECT_STREQ(op["method"].GetString(), "GET");
        EXPECT_STREQ(op["paths"]["milady"].GetString(), "/api/v1/milady/agents/{agentId}");
        EXPECT_STREQ(op["paths"]["eliza"].GetString(), "/api/v1/eliza/agents/{agentId}");
        EXPECT_STREQ(op["params"][0]["name"].GetString(), "agentId");
        EXPECT_STREQ(op["params"][0]["arg"].GetString(), "agent_id");
        EXPECT_STREQ(op["params"][0]["type"].GetString(), "uuid");
        EXPECT_TRUE(op["idempotent"].GetBool());
        EXPECT_EQ(op["timeoutMs"].GetInt(), 30000);
    }
}

// ---- defects ------------------------------------------------------------------------------

constexpr std::array<ParamSpec, 1> kId{
    {{.name = "id", .type = ParamType::Uuid, .in = ParamIn::Path, .required = true, .doc = "d"}}};
constexpr std::array<ParamSpec, 1> kBadEnumDefault{{{.name = "mode",
                                                     .type = ParamType::Enum,
                                                     .enum_values = "a|b",
                                                     .default_json = "\"c\"",
                                                     .doc = "d"}}};
constexpr std::array<FieldSpec, 1> kThingFields{{{"id", "string", true, ""}}};
constexpr std::array<FieldSpec, 1> kBadFields{{{"x", "Nowhere", false, ""}}};
constexpr std::array<TypeSpec, 2> kTypes{{{"Thing", kThingFields, true}, {"Empty", {}, true}}};

std::vector<std::string> defects_of(std::initializer_list<OperationSpec> rows,
                                    std::span<const TypeSpec> types = kTypes) {
    static std::vector<OperationSpec> keep;
    keep.assign(rows);
    std::vector<const OperationSpec *> pointers;
    for (const auto &r : keep) pointers.push_back(&r);
    return check_rows(pointers, types);
}

bool mentions(const std::vector<std::string> &defects, const std::string &needle) {
    for (const auto &d : defects)
        if (d.find(needle) != std::string::npos) return true;
    return false;
}

OperationSpec good_row() {
    return {.name = "things.get",
            .summary = "s",
            .http_method = "GET",
            .milady_path = "/api/v1/things/{id}",
            .params = kId,
            .result = "Thing"};
}

TEST(RegistryChecks, AGoodRowPasses) {
    EXPECT_EQ(defects_of({good_row()}), std::vector<std::string>{});
}

TEST(RegistryChecks, DuplicateNamesAreCaught) {
    EXPECT_TRUE(mentions(defects_of({good_row(), good_row()}), "name is used twice"));
}

TEST(RegistryChecks, BadNamesAreCaught) {
    for (const char *name : {"", "Things.get", "things..get", ".things", "things.", "things get"}) {
        OperationSpec row = good_row();
        row.name = name;
        EXPECT_TRUE(mentions(defects_of({row}), "dotted lower-case")) << name;
    }
}

TEST(RegistryChecks, UnknownResultTypesAreCaught) {
    OperationSpec row = good_row();
    row.result = "Thingy";
    EXPECT_TRUE(mentions(defects_of({row}), "unknown result type Thingy"));
    row.result = "Thing[]";  // a list needs the Array shape
    EXPECT_TRUE(mentions(defects_of({row}), "Array shape"));
    const std::array<TypeSpec, 1> bad{{{"Thing", kBadFields, true}}};
    EXPECT_TRUE(mentions(defects_of({good_row()}, bad), "unknown type Nowhere"));
}

TEST(RegistryChecks, PathTemplatesAndPathParametersMustMatch) {
    OperationSpec row = good_row();
    row.milady_path = "/api/v1/things/{thingId}";
    const auto defects = defects_of({row});
    EXPECT_TRUE(mentions(defects, "{thingId} is not a path parameter"));
    EXPECT_TRUE(mentions(defects, "path parameter id is missing"));
    row = good_row();
    row.milady_path = "api/v1/things/{id}";
    EXPECT_TRUE(mentions(defects_of({row}), "must start with /"));
}

TEST(RegistryChecks, BadDefaultsAndExecutorMismatchesAreCaught) {
    OperationSpec row = good_row();
    row.milady_path = "/api/v1/things";
    row.params = kBadEnumDefault;
    row.body = Body::Params;
    EXPECT_TRUE(mentions(defects_of({row}), "the default is not a valid value"));
    row = good_row();
    row.handler = Method::Connect;  // an HTTP row with a session handler
    EXPECT_TRUE(mentions(defects_of({row}), "generic executor"));
    row = good_row();
    row.http_method = {};
    EXPECT_TRUE(mentions(defects_of({row}), "needs a method and a path"));
}

// ---- parameters ---------------------------------------------------------------------------

Status status_of(const char *name, const char *params, std::string *message = nullptr) {
    try {
        json::Document doc;
        check_params(operation(name), params, doc);
        return Status::Ok;
    } catch (const Error &e) {
        if (message) *message = e.what();
        return e.status();
    }
}

TEST(CallParams, ValidCallsPass) {
    EXPECT_EQ(status_of("agents.list", ""), Status::Ok);
    EXPECT_EQ(status_of("agents.list", "{}"), Status::Ok);
    EXPECT_EQ(status_of("agents.get", R"({"agentId":"5e1d6a4e-8f6b-4c55-9d2a-2f8f8b7c1a00"})"),
              Status::Ok);
    EXPECT_EQ(status_of("credits", R"({"fresh":true})"), Status::Ok);
    EXPECT_EQ(status_of("send", R"({"text":"hi","channelType":"GROUP","roomId":null})"),
              Status::Ok);
    // agents.create forwards what the cloud accepts beyond the documented fields.
    EXPECT_EQ(status_of("agents.create", R"({"agentName":"bot","extra":{"x":1}})"), Status::Ok);
}

TEST(CallParams, BadCallsAreInvalidArgumentsWithAClearMessage) {
    struct Case {
        const char *name, *params, *message;
    };
    for (const Case &c : {
             Case{"agents.list", "{", "params are not valid JSON"},
             Case{"agents.list", "[]", "params must be a JSON object"},
             Case{"agents.list", R"({"agentID":"x"})",
                  R"(unknown parameter "agentID" for method "agents.list")"},
             Case{"agents.get", "{}", "agentId is required"},
             Case{"agents.get", R"({"agentId":"../x"})", "agentId must be a UUID"},
             Case{"credits", R"({"fresh":"yes"})", "fresh must be a boolean"},
             Case{"send", R"({"text":""})", "text must be a non-empty string"},
             Case{"send", R"({"text":"a\u0000b"})", "text must not contain NUL characters"},
             Case{"send", R"({"text":"hi","channelType":"dm"})",
                  "channelType must be one of DM, GROUP, VOICE_DM, VOICE_GROUP, API"},
             Case{"agents.create", R"({"agentName":5})", "agentName must be a string"},
             Case{"agents.create", R"({"agentName":"a","environmentVars":{"K":1}})",
                  "environmentVars must be a JSON object of strings (K is not)"},
         }) {
        std::string message;
        EXPECT_EQ(status_of(c.name, c.params, &message), Status::InvalidArgument) << c.params;
        EXPECT_NE(message.find(c.message), std::string::npos) << message;
    }
}

TEST(CallParams, LengthLimitsCountCharactersNotBytes) {
    std::string name;
    for (int i = 0; i < 100; ++i) name += "\xC3\xA9";  // 100 × é: 100 characters, 200 bytes
    EXPECT_EQ(status_of("agents.create", (R"({"agentName":")" + name + "\"}").c_str()), Status::Ok);
    name += "e";
    std::string message;
    EXPECT_EQ(status_of("agents.create", (R"({"agentName":")" + name + "\"}").c_str(), &message),
              Status::InvalidArgument);
    EXPECT_NE(message.find("at most 100 characters"), std::string::npos) << message;
}

TEST(CallParams, DefaultsComeFromTheRow) {
    json::Document doc;
    check_params(operation("send"), R"({"text":"hi"})", doc);
    EXPECT_EQ(string_param(operation("send"), doc, "roomId"), "web-chat");
    EXPECT_EQ(string_param(operation("send"), doc, "channelType"), "DM");
    EXPECT_FALSE(bool_param(operation("credits"), doc, "fresh"));
}

}  // namespace
}  // namespace elizacloud::api

namespace elizacloud::api {
namespace {

// The catalogue's statuses (what the bindings' error classes are generated from) are the
// header's list: every code once, named as ec_status_name() (status_name) names it.
TEST(Registry, TheCatalogueListsEveryStatusCode) {
    json::Document doc;
    ASSERT_TRUE(json::parse(catalogue_json(), doc));
    const auto &statuses = doc["statuses"];
    ASSERT_TRUE(statuses.IsArray());
    std::set<int> codes;
    for (const auto &s : statuses.GetArray()) {
        codes.insert(s["code"].GetInt());
        EXPECT_STREQ(s["name"].GetString(), status_name(static_cast<Status>(s["code"].GetInt())));
    }
    EXPECT_EQ(codes.size(), statuses.Size());
    EXPECT_EQ(codes.size(), 36u);
    EXPECT_EQ(*codes.begin(), EC_ERR_SESSION_REQUIRED);
    EXPECT_EQ(*codes.rbegin(), EC_OK);
    EXPECT_STREQ(status_name(static_cast<Status>(-999)), "EC_ERR_UNKNOWN");
}

}  // namespace
}  // namespace elizacloud::api
