// SseParser: WHATWG event-stream framing, split delivery, and the stream shapes Eliza Cloud sends.
#include "net/sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/json.hpp"

namespace elizacloud {
namespace {

using namespace std::string_literals;

struct Ev {
    std::string type, data, id;
    bool operator==(const Ev &) const = default;
};

std::ostream &operator<<(std::ostream &os, const Ev &e) {
    return os << "{type=" << e.type << " data=" << e.data << " id=" << e.id << "}";
}

// A callback that appends each dispatched event to out.
std::function<void(SseEvent &&)> recorder(std::vector<Ev> &out) {
    return [&out](SseEvent &&e) { out.push_back({e.type, e.data, e.id}); };
}

// Feeds the pieces in order, then finish(); returns every event dispatched.
std::vector<Ev> parse_pieces(const std::vector<std::string> &pieces, SseParser &parser) {
    std::vector<Ev> out;
    const auto sink = recorder(out);
    for (const auto &p : pieces) parser.feed(p, sink);
    parser.finish(sink);
    return out;
}

std::vector<Ev> parse(const std::string &stream) {
    SseParser parser;
    return parse_pieces({stream}, parser);
}

std::vector<Ev> parse_byte_by_byte(const std::string &stream) {
    std::vector<std::string> pieces;
    for (char c : stream) pieces.emplace_back(1, c);
    SseParser parser;
    return parse_pieces(pieces, parser);
}

// Events dispatched by feed() alone, without finish().
std::vector<Ev> feed_only(const std::string &stream) {
    std::vector<Ev> out;
    SseParser parser;
    parser.feed(stream, recorder(out));
    return out;
}

Ev msg(std::string data, std::string id = "") {
    return {"message", std::move(data), std::move(id)};
}

const std::string kBom = "\xEF\xBB\xBF";

// A stream that uses every feature at once, for the split-delivery tests.
const std::string kMixedStream =
    "\xEF\xBB\xBF: comment\r\n"
    "retry: 2500\n"
    "id: 7\r"
    "event: chunk\r\n"
    "data:{\"text\":\"h\xC3\xA9llo \xF0\x9F\x98\x80\"}\r"
    "data:  second line\n"
    "\r\n"
    "unknown: field\n"
    "data\n"
    "\n"
    "event: ignored-no-data\n"
    "\n"
    "data: tail";

const std::vector<Ev> kMixedEvents = {
    {"chunk", "{\"text\":\"h\xC3\xA9llo \xF0\x9F\x98\x80\"}\n second line", "7"},
    msg("", "7"),
    msg("tail", "7"),
};

TEST(SseParser, LfFraming) {
    EXPECT_EQ(parse("data: a\n\ndata: b\n\n"), (std::vector<Ev>{msg("a"), msg("b")}));
}

TEST(SseParser, CrLfFraming) {
    EXPECT_EQ(parse("event: x\r\ndata: a\r\n\r\ndata: b\r\n\r\n"),
              (std::vector<Ev>{{"x", "a", ""}, msg("b")}));
}

TEST(SseParser, CrFraming) {
    EXPECT_EQ(parse("data: a\rdata: b\r\rdata: c\r\r"), (std::vector<Ev>{msg("a\nb"), msg("c")}));
}

TEST(SseParser, MixedLineEnds) {
    EXPECT_EQ(parse("data: a\r\ndata: b\rdata: c\n\r\n"), (std::vector<Ev>{msg("a\nb\nc")}));
}

TEST(SseParser, CrAtChunkEndAndLfAtNextStartIsOneLineEnd) {
    SseParser parser;
    // Were the split "\r\n" two line ends, "a" and "b" would be two events.
    EXPECT_EQ(parse_pieces({"data: a\r", "\ndata: b\r", "\n\r", "\n"}, parser),
              (std::vector<Ev>{msg("a\nb")}));
}

TEST(SseParser, CrAtChunkEndThenCrIsABlankLine) {
    SseParser parser;
    EXPECT_EQ(parse_pieces({"data: a\r", "\r", "data: b\r", "\r"}, parser),
              (std::vector<Ev>{msg("a"), msg("b")}));
}

TEST(SseParser, LoneLfAfterCrLfIsABlankLine) {
    EXPECT_EQ(parse("data: a\r\n\ndata: b\n\n"), (std::vector<Ev>{msg("a"), msg("b")}));
}

TEST(SseParser, DataWithOrWithoutOneLeadingSpace) {
    EXPECT_EQ(parse("data:a\n\ndata: b\n\ndata:  c\n\ndata:\td\n\n"),
              (std::vector<Ev>{msg("a"), msg("b"), msg(" c"), msg("\td")}));
}

TEST(SseParser, MultiLineDataJoinedWithNewline) {
    EXPECT_EQ(parse("data: one\ndata:two\ndata\ndata: four\n\n"),
              (std::vector<Ev>{msg("one\ntwo\n\nfour")}));
}

TEST(SseParser, CommentLinesIgnored) {
    EXPECT_EQ(parse(": keep-alive\n:\ndata: a\n: between\ndata: b\n\n"),
              (std::vector<Ev>{msg("a\nb")}));
    EXPECT_TRUE(parse(": only\n: comments\n\n").empty());
}

TEST(SseParser, EventTypeSetAndResetPerEvent) {
    EXPECT_EQ(parse("event: one\ndata: a\n\ndata: b\n\nevent:\ndata: c\n\nevent:two\ndata: d\n\n"),
              (std::vector<Ev>{{"one", "a", ""}, msg("b"), msg("c"), {"two", "d", ""}}));
}

TEST(SseParser, EventWithoutDataIsNotDispatchedAndItsTypeDoesNotLeak) {
    EXPECT_EQ(parse("event: ghost\n\ndata: a\n\nid: 1\n\n"), (std::vector<Ev>{msg("a")}));
}

TEST(SseParser, EmptyDataLineDispatchesAnEmptyEvent) {
    // WHATWG: a data field, even empty, makes the data buffer non-empty ("\n").
    EXPECT_EQ(parse("event: done\ndata:\n\n"), (std::vector<Ev>{{"done", "", ""}}));
}

TEST(SseParser, IdPersistsAcrossEventsAndIdsWithNulAreIgnored) {
    const std::string stream = "id: 1\ndata: a\n\ndata: b\n\nid: 2\0x\ndata: c\n\nid\ndata: d\n\n"s;
    SseParser parser;
    EXPECT_EQ(parse_pieces({stream}, parser),
              (std::vector<Ev>{msg("a", "1"), msg("b", "1"), msg("c", "1"), msg("d", "")}));
    EXPECT_EQ(parser.last_event_id(), "");
}

TEST(SseParser, RetryAcceptsOnlyAsciiDigits) {
    SseParser parser;
    EXPECT_EQ(parser.retry_ms(), -1);
    auto none = [](SseEvent &&) { FAIL() << "no event expected"; };
    parser.feed("retry: 3000\n", none);
    EXPECT_EQ(parser.retry_ms(), 3000);
    for (const char *bad : {"retry: 12a\n", "retry: -5\n", "retry:\n", "retry: +7\n", "retry: 1 \n",
                            "retry: 99999999999999999999999\n", "retry:  5\n"}) {
        parser.feed(bad, none);
        EXPECT_EQ(parser.retry_ms(), 3000) << bad;
    }
    parser.feed("retry:0\n", none);
    EXPECT_EQ(parser.retry_ms(), 0);
}

TEST(SseParser, UnknownFieldsIgnored) {
    EXPECT_EQ(parse("foo: bar\nDATA: loud\nData: x\ndata : spaced\ndata: a\n\n"),
              (std::vector<Ev>{msg("a")}));
}

TEST(SseParser, FinalEventWithoutBlankLineDispatchedByFinish) {
    EXPECT_TRUE(feed_only("data: a\n").empty());
    EXPECT_EQ(parse("data: a\n"), (std::vector<Ev>{msg("a")}));
    EXPECT_EQ(parse("data: a"), (std::vector<Ev>{msg("a")}));
    EXPECT_EQ(parse("data: a\r"), (std::vector<Ev>{msg("a")}));
    EXPECT_EQ(parse("event: done\ndata: {}"), (std::vector<Ev>{{"done", "{}", ""}}));
}

TEST(SseParser, EmptyStreamYieldsNothing) {
    EXPECT_TRUE(parse("").empty());
    EXPECT_TRUE(parse("\n\n\r\n\r").empty());
}

TEST(SseParser, LeadingBomStrippedOnlyAtTheVeryStart) {
    EXPECT_EQ(parse(kBom + "data: a\n\n"), (std::vector<Ev>{msg("a")}));
    EXPECT_EQ(parse_byte_by_byte(kBom + "data: a\n\n"), (std::vector<Ev>{msg("a")}));
    // A second BOM is part of the field name, which then is unknown.
    EXPECT_TRUE(parse(kBom + kBom + "data: a\n\n").empty());
    EXPECT_EQ(parse("data: a\n\n" + kBom + "data: b\n\n"), (std::vector<Ev>{msg("a")}));
    // A BOM inside a value is data.
    EXPECT_EQ(parse("data: " + kBom + "x\n\n"), (std::vector<Ev>{msg(kBom + "x")}));
}

TEST(SseParser, PartialBomPrefixIsContent) {
    // "\xEF\xBB" then ':' is a comment line whose first bytes looked like a BOM: nothing is lost
    // or misframed, and the next event parses normally.
    SseParser parser;
    EXPECT_EQ(parse_pieces({"\xEF", "\xBB", ":x\ndata: a\n\n"}, parser),
              (std::vector<Ev>{msg("a")}));
}

TEST(SseParser, Utf8SplitAcrossReadsAtEveryByte) {
    const std::string stream = "data: h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80!\n\n";
    const std::vector<Ev> expected = {msg("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80!")};
    for (size_t i = 0; i <= stream.size(); ++i) {
        SseParser parser;
        EXPECT_EQ(parse_pieces({stream.substr(0, i), stream.substr(i)}, parser), expected) << i;
    }
}

TEST(SseParser, ByteByByteEqualsOneShot) {
    EXPECT_EQ(parse(kMixedStream), kMixedEvents);
    EXPECT_EQ(parse_byte_by_byte(kMixedStream), kMixedEvents);
}

TEST(SseParser, EveryTwoSplitPointsEqualOneShot) {
    for (size_t i = 0; i <= kMixedStream.size(); ++i) {
        for (size_t j = i; j <= kMixedStream.size(); ++j) {
            SseParser parser;
            const auto got = parse_pieces(
                {kMixedStream.substr(0, i), kMixedStream.substr(i, j - i), kMixedStream.substr(j)},
                parser);
            ASSERT_EQ(got, kMixedEvents) << "splits at " << i << ", " << j;
            ASSERT_EQ(parser.retry_ms(), 2500);
        }
    }
}

TEST(SseParser, ElizaCloudAgentStream) {
    // C§2.11: each event is "event: <name>\ndata: <json>\n\n"; no id or retry.
    const std::string stream =
        "event: connected\ndata: {\"rpcId\":\"r-1\",\"timestamp\":1700000000000}\n\n"
        "event: chunk\ndata: {\"text\":\"Hello from \"}\n\n"
        "event: chunk\ndata: {\"text\":\"the cloud \xE2\x9C\xA8\"}\n\n"
        "event: done\ndata: {\"rpcId\":\"r-1\",\"timestamp\":1700000000001}\n\n";
    const auto events = parse_byte_by_byte(stream);
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events.front().type, "connected");
    EXPECT_EQ(events.back().type, "done");
    std::string text;
    for (const auto &e : events) {
        json::Document doc;
        ASSERT_TRUE(json::parse(e.data, doc)) << e.data;
        if (e.type == "chunk") text += json::get_string(doc, "text").value_or("");
    }
    EXPECT_EQ(text, "Hello from the cloud \xE2\x9C\xA8");
}

TEST(SseParser, ElizaCloudNotRunningErrorEvent) {
    EXPECT_EQ(
        parse("event: error\ndata: {\"message\":\"Sandbox is not running or unreachable\"}\n\n"),
        (std::vector<Ev>{
            {"error", "{\"message\":\"Sandbox is not running or unreachable\"}", ""}}));
}

TEST(SseParser, OpenAiChatCompletionStream) {
    const std::string stream =
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
        "{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
        "\"finish_reason\":\"stop\"}]}\n\n"
        "data: [DONE]\n\n";
    const auto events = parse(stream);
    ASSERT_EQ(events.size(), 3u);
    for (const auto &e : events) EXPECT_EQ(e.type, "message");
    EXPECT_EQ(events[2].data, "[DONE]");
    json::Document doc;
    ASSERT_TRUE(json::parse(events[0].data, doc));
    EXPECT_EQ(json::stringify(doc["choices"][0]["delta"]), "{\"content\":\"Hi\"}");
}

TEST(SseParser, LineAtTheLimitIsAccepted) {
    SseParser parser(16);
    std::vector<Ev> out;
    const auto sink = recorder(out);
    EXPECT_TRUE(parser.feed("data: 0123456789\n\n", sink));  // 16 bytes before the '\n'
    EXPECT_EQ(out, (std::vector<Ev>{msg("0123456789")}));
}

TEST(SseParser, LineOverTheLimitFailsAndStopsTheParser) {
    SseParser parser(16);
    std::vector<Ev> out;
    const auto sink = recorder(out);
    EXPECT_TRUE(parser.feed("data: a\n\ndata: 01234", sink));
    EXPECT_FALSE(parser.feed("567890", sink));  // 17 bytes, not yet terminated
    EXPECT_FALSE(parser.feed("\n\ndata: b\n\n", sink));
    parser.finish(sink);
    EXPECT_EQ(out, (std::vector<Ev>{msg("a")}));
}

TEST(SseParser, LongCommentOverTheLimitFails) {
    SseParser parser(8);
    EXPECT_FALSE(parser.feed(": this comment is too long\n", [](SseEvent &&) {}));
}

TEST(SseParser, EventDataIsBoundedByTheSameLimit) {
    SseParser parser(16);
    std::vector<Ev> out;
    const auto sink = recorder(out);
    EXPECT_TRUE(parser.feed("data: 0123456\ndata: 01234567\n\n", sink));  // 7 + 1 + 8 = 16
    EXPECT_FALSE(parser.feed("data: 0123456\ndata: 012345678\n\n", sink));
    EXPECT_EQ(out, (std::vector<Ev>{msg("0123456\n01234567")}));
}

TEST(SseParser, FinishStartsANewStreamKeepingIdAndRetry) {
    SseParser parser;
    std::vector<Ev> out;
    const auto sink = recorder(out);
    parser.feed("retry: 10\nid: 5\ndata: a", sink);
    parser.finish(sink);
    parser.feed(kBom + "data: b\n\n", sink);
    EXPECT_EQ(out, (std::vector<Ev>{msg("a", "5"), msg("b", "5")}));
    EXPECT_EQ(parser.retry_ms(), 10);
}

TEST(SseParser, LargeEventAcrossManyReads) {
    std::string payload(300000, 'x');
    for (size_t i = 0; i < payload.size(); i += 97) payload[i] = static_cast<char>('a' + i % 26);
    const std::string stream = "event: big\ndata: " + payload + "\r\n\r\n";
    std::vector<std::string> pieces;
    for (size_t i = 0; i < stream.size(); i += 4093) pieces.push_back(stream.substr(i, 4093));
    SseParser parser;
    EXPECT_EQ(parse_pieces(pieces, parser), (std::vector<Ev>{{"big", payload, ""}}));
}

}  // namespace
}  // namespace elizacloud
