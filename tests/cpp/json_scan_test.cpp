// json::top_level_string and json::scan_reply: the same answers as DOM lookups, without the DOM.
#include "util/json_scan.hpp"

#include <gtest/gtest.h>

#include "util/json.hpp"

namespace elizacloud::json {
namespace {

TEST(JsonScan, ReadsTheTopLevelStringMember) {
    EXPECT_EQ(top_level_string(R"({"text":"hi"})", "text"), "hi");
    EXPECT_EQ(top_level_string(R"( {"a":1,"b":[{"text":"no"}],"text":"yes","c":{}} )", "text"),
              "yes");
    EXPECT_EQ(top_level_string(R"({"text":"a\"b\\c\n\u00e9"})", "text"), "a\"b\\c\n\xC3\xA9");
    EXPECT_EQ(top_level_string(R"({"text":""})", "text"), "");
}

TEST(JsonScan, FirstMemberOnlyAsTheDomFindsIt) {
    EXPECT_EQ(top_level_string(R"({"text":"one","text":"two"})", "text"), "one");
    EXPECT_EQ(top_level_string(R"({"text":1,"text":"two"})", "text"), std::nullopt);
}

TEST(JsonScan, NothingForMissingWrongTypeOrInvalidJson) {
    EXPECT_EQ(top_level_string(R"({"other":"x"})", "text"), std::nullopt);
    EXPECT_EQ(top_level_string(R"({"text":null})", "text"), std::nullopt);
    EXPECT_EQ(top_level_string(R"({"inner":{"text":"x"}})", "text"), std::nullopt);
    EXPECT_EQ(top_level_string(R"(["text","x"])", "text"), std::nullopt);
    EXPECT_EQ(top_level_string(R"("text")", "text"), std::nullopt);
    EXPECT_EQ(top_level_string(R"({"text":"x"} trailing)", "text"), std::nullopt);
    EXPECT_EQ(top_level_string(R"({"text":"x")", "text"), std::nullopt);
    EXPECT_EQ(top_level_string("", "text"), std::nullopt);
}

// scan_reply against the DOM's reading of the same text, over replies of every shape.
TEST(JsonScan, AReplyScanAgreesWithTheDom) {
    const char *replies[] = {
        R"({"jsonrpc":"2.0","id":"1","result":{"text":"hi"}})",
        R"({"result":{"a":{"text":"deep"},"text":"mine"}})",
        R"({"result":{"text":"one","text":"two"}})",
        R"({"result":{"text":1,"text":"two"}})",
        R"({"result":{"text":{"text":"x"}}})",
        R"({"result":{"list":[{"text":"no"}]}})",
        R"({"result":"text","text":"top"})",
        R"({"result":{"text":"first"},"result":{"text":"second"}})",
        R"({"result":null,"result":{"text":"second"}})",
        R"({"x":{"result":{"text":"nested"}},"result":{}})",
        R"({"result":{"text":"a\"b\u0000\u00e9"}})",
        R"({"error":{"code":1},"result":{"text":"x"}})",
        R"({"error":null,"result":{"text":"x"}})",
        R"({"inner":{"error":1},"result":{"text":"x"}})",
        R"({})",
    };
    for (const char *text : replies) {
        SCOPED_TRACE(text);
        const std::optional<ReplyScan> scan = scan_reply(text);
        ASSERT_TRUE(scan.has_value());
        Document doc;
        ASSERT_TRUE(parse(text, doc));
        EXPECT_EQ(scan->has_error, member(doc, "error") != nullptr);
        const Value *result = member(doc, "result");
        EXPECT_EQ(scan->text, result ? get_string(*result, "text") : std::nullopt);
    }
    EXPECT_EQ(scan_reply(R"(["result"])"), std::nullopt);
    EXPECT_EQ(scan_reply(R"({"result":{"text":"x"})"), std::nullopt);
    EXPECT_EQ(scan_reply(R"({"result":{}} x)"), std::nullopt);
}

}  // namespace
}  // namespace elizacloud::json
