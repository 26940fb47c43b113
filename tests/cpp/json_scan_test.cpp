// json::top_level_string: the same answer as a DOM lookup of the member, without the DOM.
#include "util/json_scan.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace elizacloud::json
