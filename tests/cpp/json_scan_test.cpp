// json::top_level_string and json::scan_reply: the same answers as DOM lookups, without the DOM;
// json::append_quoted: the same text as the writer.
#include "util/json_scan.hpp"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

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

// The scans parse a copy in place: a NUL byte in the text, inside a string or after the object,
// makes it invalid as it does for the DOM, and a text too long for the copy on the stack reads
// the same.
TEST(JsonScan, EmbeddedNulsFailAndLongTextsRead) {
    using namespace std::string_literals;
    const std::string after = R"({"text":"x"})"s + '\0' + R"(,"more":1})";
    const std::string inside = R"({"text":"a)"s + '\0' + R"(b"})";
    for (const std::string &text : {after, inside}) {
        Document doc;
        EXPECT_FALSE(parse(text, doc));
        EXPECT_EQ(top_level_string(text, "text"), std::nullopt);
        EXPECT_EQ(scan_reply(text), std::nullopt);
    }
    const std::string big(5000, 'y');
    EXPECT_EQ(top_level_string(R"({"pad":")" + big + R"(","text":"z"})", "text"), "z");
    const std::optional<ReplyScan> reply = scan_reply(R"({"result":{"text":")" + big + R"("}})");
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->text, big);
    const std::string big_after = R"({"text":")" + big + R"("})" + '\0' + "x";
    EXPECT_EQ(top_level_string(big_after, "text"), std::nullopt);
    // A leading UTF-8 byte order mark is skipped, as the DOM's parse skips it.
    const std::string with_bom =
        "\xEF\xBB\xBF"
        R"({"text":"bom"})";
    Document doc;
    EXPECT_TRUE(parse(with_bom, doc));
    EXPECT_EQ(top_level_string(with_bom, "text"), "bom");
}

// append_quoted writes what RapidJSON's writer writes, whether the text needs escapes or not.
TEST(JsonQuote, AppendQuotedWritesWhatTheWriterWrites) {
    using namespace std::string_literals;
    const std::string texts[] = {"",
                                 "hello",
                                 "a/b",
                                 "caf\xC3\xA9 \xF0\x9F\x98\x80",
                                 "del\x7F",
                                 "quote\"",
                                 "back\\slash",
                                 "tab\tnew\nline",
                                 "nul"s + '\0' + "x",
                                 "\x1F\x01",
                                 std::string(300, 'z')};
    for (const std::string &text : texts) {
        SCOPED_TRACE(text);
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
        std::string out = "prefix:";
        append_quoted(out, text);
        EXPECT_EQ(out, "prefix:" + std::string(buffer.GetString(), buffer.GetSize()));
        EXPECT_EQ(text_object(text),
                  "{\"text\":" + std::string(buffer.GetString(), buffer.GetSize()) + "}");
    }
}

}  // namespace
}  // namespace elizacloud::json
