// Base URL normalisation (G9) and path-segment encoding.
#include "net/base_url.hpp"

#include <gtest/gtest.h>

#include "util/strings.hpp"

namespace elizacloud {
namespace {

TEST(BaseUrl, NormalisationTable) {
    struct Row {
        const char *configured;
        const char *site;
    };
    const Row rows[] = {
        {"", "https://www.elizacloud.ai"},
        {"   ", "https://www.elizacloud.ai"},
        {"https://www.elizacloud.ai", "https://www.elizacloud.ai"},
        {"https://www.elizacloud.ai/", "https://www.elizacloud.ai"},
        {"https://test.elizacloud.ai///", "https://test.elizacloud.ai"},
        {"https://www.elizacloud.ai/api/v1", "https://www.elizacloud.ai"},
        {"https://www.elizacloud.ai/api/v1/", "https://www.elizacloud.ai"},
        {"https://www.elizacloud.ai/api/v1///", "https://www.elizacloud.ai"},
        {"https://www.elizacloud.ai//api/v1", "https://www.elizacloud.ai"},
        {"https://www.elizacloud.ai/API/V1", "https://www.elizacloud.ai"},
        {"  https://cloud.milady.ai/  ", "https://cloud.milady.ai"},
        {"https://self.example/prefix/api/v1", "https://self.example/prefix"},
        {"https://self.example/my-api/v1", "https://self.example/my-api/v1"},
        {"https://www.elizacloud.ai/api/v1/api/v1", "https://www.elizacloud.ai/api/v1"},
    };
    for (const Row &row : rows)
        EXPECT_EQ(normalise_site_url(row.configured), row.site) << row.configured;
}

TEST(BaseUrl, FromConfigBuildsSiteApiAndTopUp) {
    UrlPolicy policy;
    BaseUrl base = BaseUrl::from_config("https://www.elizacloud.ai/api/v1/", policy);
    EXPECT_EQ(base.site_url, "https://www.elizacloud.ai");
    EXPECT_EQ(base.api_url, "https://www.elizacloud.ai/api/v1");
    EXPECT_EQ(base.top_up_url(), "https://www.elizacloud.ai/dashboard/settings?tab=billing");
    EXPECT_EQ(BaseUrl::from_config("", policy).api_url, "https://www.elizacloud.ai/api/v1");
}

// The live cloud serves its API and its pages on two origins (E§0).
TEST(BaseUrl, TheBrowserSiteIsDerivedOrConfigured) {
    UrlPolicy policy;
    EXPECT_EQ(BaseUrl::from_config("https://api.eliza.app/api/v1", policy).browser_url,
              "https://eliza.app");
    EXPECT_EQ(BaseUrl::from_config("https://api.elizacloud.ai", policy).browser_url,
              "https://www.elizacloud.ai");
    const BaseUrl same = BaseUrl::from_config("https://www.elizacloud.ai", policy);
    EXPECT_EQ(same.browser_url, "https://www.elizacloud.ai");
    const BaseUrl split =
        BaseUrl::from_config("https://api.eliza.app", policy, "https://eliza.app/");
    EXPECT_EQ(split.site_url, "https://api.eliza.app");
    EXPECT_EQ(split.browser_url, "https://eliza.app");
    EXPECT_EQ(split.top_up_url(), "https://eliza.app/dashboard/settings?tab=billing");
    // The site the user's browser is sent to is held to the same policy.
    try {
        BaseUrl::from_config("https://api.eliza.app", policy, "https://evil.example");
        ADD_FAILURE() << "an off-list site was accepted";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::UrlBlocked);
    }
}

TEST(BaseUrl, PolicyRefusalCarriesThePolicysStatusAndMessage) {
    UrlPolicy policy;
    for (const char *url : {"http://www.elizacloud.ai", "https://evil.example", "https://127.0.0.1",
                            "https://user@www.elizacloud.ai", "https://localhost"}) {
        UrlVerdict verdict = policy.check_base_url(normalise_site_url(url));
        ASSERT_FALSE(verdict.ok()) << url;
        try {
            BaseUrl::from_config(url, policy);
            ADD_FAILURE() << "accepted " << url;
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), verdict.error.status) << url;
            EXPECT_EQ(e.info().message, verdict.error.message) << url;
        }
    }
}

TEST(BaseUrl, InsecureLocalAllowsTheEmulator) {
    UrlPolicyOptions options;
    options.insecure_local = true;
    UrlPolicy policy(options);
    BaseUrl base = BaseUrl::from_config("http://127.0.0.1:4123/api/v1/", policy);
    EXPECT_EQ(base.site_url, "http://127.0.0.1:4123");
    EXPECT_EQ(base.api_url, "http://127.0.0.1:4123/api/v1");
}

TEST(BaseUrl, PathSegmentEncoding) {
    EXPECT_EQ(encode_path_segment("0b9c7d4e-1111-4222-8333-444455556666"),
              "0b9c7d4e-1111-4222-8333-444455556666");
    EXPECT_EQ(encode_path_segment("../user"), "..%2Fuser");
    EXPECT_EQ(encode_path_segment("a b?c#d%e"), "a%20b%3Fc%23d%25e");
    EXPECT_EQ(encode_path_segment("~._-AZaz09"), "~._-AZaz09");
    EXPECT_EQ(encode_path_segment("\xC3\xA9"), "%C3%A9");
}

}  // namespace
}  // namespace elizacloud

// The one trim of the core (util/strings.hpp): ASCII whitespace at both ends only.
static_assert(elizacloud::trim("  a b \r\n") == "a b");
static_assert(elizacloud::trim("\t\v\f") == "");
static_assert(elizacloud::trim("x") == "x");
// Backspace and shift-out sit just outside the blanks \t..\r.
static_assert(elizacloud::trim("\ba\016") == "\ba\016");
TEST(Strings, TrimKeepsInnerBlanksAndNonAscii) {
    EXPECT_EQ(elizacloud::trim(" \xC2\xA0key\xC2\xA0 "), "\xC2\xA0key\xC2\xA0");
    EXPECT_EQ(elizacloud::trim(""), "");
}
