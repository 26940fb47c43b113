// The URL security policy (SPEC §4, R161–R173, gaps G2 and G3): a table of base URLs with their
// verdicts, the address ranges, and the development opt-in.
#include "net/url_policy.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "net/engines.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace elizacloud {
namespace {

constexpr Status kOk = Status::Ok;
constexpr Status kBlocked = Status::UrlBlocked;
constexpr Status kInvalid = Status::InvalidArgument;

struct UrlCase {
    const char *url;
    Status expected;
    const char *message_part;  // the verdict's message must contain it ("" = not checked)
};

// Messages the table checks for.
constexpr const char *kHttps = "must use HTTPS";
constexpr const char *kInvalidUrl = "Invalid cloud base URL";
constexpr const char *kLocalName = "points to a blocked local hostname.";
constexpr const char *kBlockedAddress = "points to a blocked address.";
constexpr const char *kNotAllowed = "which is not an allowed Eliza Cloud host";

const std::vector<UrlCase> kDefaultPolicyCases = {
    // Accepted: the allow-list and its subdomains, in any case, with ports, paths, a trailing dot.
    {"https://elizacloud.ai", kOk, ""},
    {"https://www.elizacloud.ai", kOk, ""},
    {"https://www.elizacloud.ai/", kOk, ""},
    {"https://cloud.milady.ai/api/v1", kOk, ""},
    {"https://api.elizacloud.ai", kOk, ""},
    {"https://a.b.cloud.milady.ai", kOk, ""},
    {"HTTPS://WWW.ElizaCloud.AI", kOk, ""},
    {"https://www.elizacloud.ai:8443/", kOk, ""},
    {"https://www.elizacloud.ai:/", kOk, ""},
    {"https://www.elizacloud.ai./", kOk, ""},
    {"  https://www.elizacloud.ai \n", kOk, ""},

    // Scheme (R162).
    {"http://www.elizacloud.ai", kBlocked, "got \"http:\""},
    {"HTTP://elizacloud.ai", kBlocked, "got \"http:\""},
    {"ftp://x", kBlocked, "got \"ftp:\""},
    {"file:///etc/passwd", kBlocked, kHttps},
    {"javascript:alert(1)", kBlocked, "got \"javascript:\""},
    {"wss://www.elizacloud.ai", kBlocked, kHttps},
    {"http://localhost", kBlocked, kHttps},

    // Unparseable (R161), including forms WHATWG would silently rewrite.
    {"not a url", kInvalid, kInvalidUrl},
    {"", kInvalid, kInvalidUrl},
    {"https://", kInvalid, kInvalidUrl},
    {"https://a b", kInvalid, kInvalidUrl},
    {"://elizacloud.ai", kInvalid, kInvalidUrl},
    {"https:elizacloud.ai", kInvalid, kInvalidUrl},
    {"https:/elizacloud.ai", kInvalid, kInvalidUrl},
    {"https:\\\\elizacloud.ai", kInvalid, kInvalidUrl},
    {"https://www.elizacloud.ai\\@evil.example", kInvalid, kInvalidUrl},
    {"https://[::1", kInvalid, kInvalidUrl},
    {"https://[127.0.0.1]/", kInvalid, kInvalidUrl},
    {"https://[fe80::1%25eth0]/", kInvalid, "zone"},
    {"https://elizacloud.ai:99999", kInvalid, "port"},
    {"https://elizacloud.ai:0", kInvalid, "port"},  // found by url_policy_fuzz
    {"https://elizacloud.ai:00000", kInvalid, "port"},
    {"https://elizacloud.ai:12ab", kInvalid, "port"},
    {"https://%65lizacloud.ai", kInvalid, kInvalidUrl},
    {"https://\xC3\xA9lizacloud.ai", kInvalid, "non-ASCII"},
    {"https://eliza\tcloud.ai", kInvalid, kInvalidUrl},
    {"https://elizacloud..ai", kInvalid, kInvalidUrl},
    {"https://.elizacloud.ai", kInvalid, kInvalidUrl},
    {"https://1.2.3.4.5", kInvalid, "IPv4"},
    {"https://256.0.0.1", kInvalid, "IPv4"},
    {"https://1.2.3.09", kInvalid, "IPv4"},
    {"https://0x100000000", kInvalid, "IPv4"},

    // Userinfo, query, fragment (not checked by the reference, R173).
    {"https://user:pw@www.elizacloud.ai", kBlocked, "credentials"},
    {"https://www.elizacloud.ai@evil.example", kBlocked, "credentials"},
    {"https://www.elizacloud.ai/?x=1", kInvalid, "query"},
    {"https://www.elizacloud.ai?", kInvalid, "query"},
    {"https://www.elizacloud.ai/#top", kInvalid, "fragment"},

    // Hosts not on the allow-list.
    {"https://evil.example", kBlocked, kNotAllowed},
    {"https://example.com", kBlocked, kNotAllowed},
    {"https://elizacloud.ai.evil.example", kBlocked, kNotAllowed},
    {"https://evilelizacloud.ai", kBlocked, kNotAllowed},
    {"https://milady.ai", kBlocked, kNotAllowed},
    {"https://8.8.8.8", kBlocked, kNotAllowed},

    // Local names, no DNS (R164, G3).
    {"https://localhost", kBlocked, kLocalName},
    {"https://LOCALHOST:443", kBlocked, kLocalName},
    {"https://localhost.", kBlocked, kLocalName},
    {"https://api.localhost", kBlocked, kLocalName},
    {"https://api.local", kBlocked, kLocalName},
    {"https://printer.local./", kBlocked, kLocalName},
    {"https://metadata.google.internal", kBlocked, kLocalName},
    {"https://router.lan", kBlocked, kLocalName},
    {"https://nas.home.arpa", kBlocked, kLocalName},
    {"https://box.localdomain", kBlocked, kLocalName},

    // Literal IPv4 in blocked ranges (R165, R166), numeric forms canonicalised (R163).
    {"https://127.0.0.1", kBlocked, kBlockedAddress},
    {"https://0x7f000001", kBlocked, kBlockedAddress},
    {"https://2130706433", kBlocked, kBlockedAddress},
    {"https://127.1", kBlocked, kBlockedAddress},
    {"https://0177.0.0.1", kBlocked, kBlockedAddress},
    {"https://0x7f.1", kBlocked, kBlockedAddress},
    {"https://0", kBlocked, kBlockedAddress},
    // libcurl reads "0x" and "0x7f.0x" as names (no number after "0x"), not as 0.0.0.0 and
    // 127.0.0.0: a numeric-looking host libcurl does not take as an address is refused.
    {"https://0x", kInvalid, "IPv4"},
    {"https://0x7f.0x", kInvalid, "IPv4"},
    {"https://0x7f000001.", kBlocked, kBlockedAddress},
    {"https://0x7f.0x1", kBlocked, kBlockedAddress},
    {"https://127.0.0.1.", kBlocked, kBlockedAddress},
    {"https://169.254.169.254", kBlocked, kBlockedAddress},
    {"https://10.0.0.1", kBlocked, kBlockedAddress},
    {"https://192.168.1.1", kBlocked, kBlockedAddress},
    {"https://100.64.1.10", kBlocked, kBlockedAddress},
    {"https://198.18.0.5", kBlocked, kBlockedAddress},
    {"https://239.1.2.3", kBlocked, kBlockedAddress},
    {"https://255.255.255.255", kBlocked, kBlockedAddress},
    {"https://172.31.255.255", kBlocked, kBlockedAddress},
    {"https://100.127.255.255", kBlocked, kBlockedAddress},
    {"https://198.19.255.255", kBlocked, kBlockedAddress},
    {"https://192.0.0.255", kBlocked, kBlockedAddress},
    {"https://224.0.0.0", kBlocked, kBlockedAddress},
    // R166 probes that are not blocked: refused only because they are not on the allow-list.
    {"https://172.15.255.255", kBlocked, kNotAllowed},
    {"https://172.32.0.1", kBlocked, kNotAllowed},
    {"https://100.63.255.255", kBlocked, kNotAllowed},
    {"https://100.128.0.1", kBlocked, kNotAllowed},
    {"https://198.17.255.255", kBlocked, kNotAllowed},
    {"https://198.20.0.1", kBlocked, kNotAllowed},
    {"https://192.0.1.1", kBlocked, kNotAllowed},
    {"https://223.255.255.255", kBlocked, kNotAllowed},
    {"https://11.0.0.1", kBlocked, kNotAllowed},
    {"https://126.255.255.255", kBlocked, kNotAllowed},
    {"https://128.0.0.1", kBlocked, kNotAllowed},

    // Literal IPv6 (R167, R168) and the G2 ranges.
    {"https://[::1]", kBlocked, kBlockedAddress},
    {"https://[::]", kBlocked, kBlockedAddress},
    {"https://[0:0:0:0:0:0:0:1]:443/", kBlocked, kBlockedAddress},
    {"https://[fe80::1]", kBlocked, kBlockedAddress},
    {"https://[FEBF::1]", kBlocked, kBlockedAddress},
    {"https://[fc00::]", kBlocked, kBlockedAddress},
    {"https://[fd12::1]", kBlocked, kBlockedAddress},
    {"https://[ff02::1]", kBlocked, kBlockedAddress},
    {"https://[::ffff:127.0.0.1]", kBlocked, kBlockedAddress},
    {"https://[::ffff:a9fe:a9fe]", kBlocked, kBlockedAddress},
    {"https://[0:0:0:0:0:ffff:a00:1]", kBlocked, kBlockedAddress},
    {"https://[::127.0.0.1]", kBlocked, kBlockedAddress},
    {"https://[::ffff:0:7f00:1]", kBlocked, kBlockedAddress},
    {"https://[64:ff9b::7f00:1]", kBlocked, kBlockedAddress},
    {"https://[64:ff9b:1::1]", kBlocked, kBlockedAddress},
    {"https://[2002:7f00:1::]", kBlocked, kBlockedAddress},
    {"https://[2001::1]", kBlocked, kBlockedAddress},
    {"https://[2001:db8::1]", kBlocked, kBlockedAddress},
    {"https://[fec0::1]", kBlocked, kBlockedAddress},
    {"https://[100::1]", kBlocked, kBlockedAddress},
    {"https://[2606:4700::1111]", kBlocked, kNotAllowed},
    {"https://[64:ff9b::808:808]", kBlocked, kNotAllowed},
};

// ELIZACLOUD_INSECURE_LOCAL=1: http:// and loopback are allowed; every other rule holds.
const std::vector<UrlCase> kInsecureLocalCases = {
    {"http://127.0.0.1:8080", kOk, ""},
    {"http://localhost:3000/", kOk, ""},
    {"http://localhost:0/", kInvalid, "port"},  // found by url_policy_fuzz
    {"http://localhost.:3000/", kOk, ""},
    {"http://[::1]:8080", kOk, ""},
    {"http://127.1:8080", kOk, ""},
    {"http://0x7f000001", kOk, ""},
    {"http://127.255.255.254", kOk, ""},
    {"http://[::ffff:127.0.0.1]", kOk, ""},
    {"https://localhost", kOk, ""},
    {"http://www.elizacloud.ai", kOk, ""},
    {"http://10.0.0.1", kBlocked, kBlockedAddress},
    {"http://169.254.169.254", kBlocked, kBlockedAddress},
    {"http://0.0.0.0:8080", kBlocked, kBlockedAddress},
    {"http://[::127.0.0.1]", kBlocked, kBlockedAddress},
    {"http://api.localhost", kBlocked, kLocalName},
    {"http://printer.local", kBlocked, kLocalName},
    {"http://evil.example", kBlocked, kNotAllowed},
    {"ftp://localhost", kBlocked, kHttps},
    {"http://user@localhost:8080", kBlocked, "credentials"},
    {"http://localhost:8080/?debug=1", kInvalid, "query"},
};

std::string describe(const UrlCase &c) {
    return std::string("URL \"") + c.url + "\"";
}

void check_table(const UrlPolicy &policy, const std::vector<UrlCase> &cases) {
    for (const UrlCase &c : cases) {
        UrlVerdict verdict = policy.check_base_url(c.url);
        EXPECT_EQ(verdict.error.status, c.expected)
            << describe(c) << ": got " << status_name(verdict.error.status) << " \""
            << verdict.error.message << "\"";
        EXPECT_NE(verdict.error.message.find(c.message_part), std::string::npos)
            << describe(c) << ": message \"" << verdict.error.message << "\" lacks \""
            << c.message_part << "\"";
        if (c.expected == Status::Ok) {
            EXPECT_TRUE(verdict.error.message.empty());
        }
    }
}

UrlPolicy insecure_policy() {
    UrlPolicyOptions options;
    options.insecure_local = true;
    return UrlPolicy(options);
}

TEST(UrlPolicy, TableIsLargeEnough) {
    EXPECT_GE(kDefaultPolicyCases.size() + kInsecureLocalCases.size(), 80u);
}

TEST(UrlPolicy, DefaultPolicyTable) {
    check_table(UrlPolicy(), kDefaultPolicyCases);
}

TEST(UrlPolicy, InsecureLocalTable) {
    check_table(insecure_policy(), kInsecureLocalCases);
}

TEST(UrlPolicy, ReferenceMessagesVerbatim) {
    UrlPolicy policy;
    EXPECT_EQ(policy.check_base_url("not a url").error.message,
              "Invalid cloud base URL: \"not a url\"");
    EXPECT_EQ(policy.check_base_url("http://example.com").error.message,
              "Cloud base URL must use HTTPS, got \"http:\" in \"http://example.com\"");
    EXPECT_EQ(policy.check_base_url("https://localhost").error.message,
              "Cloud base URL \"https://localhost\" points to a blocked local hostname.");
    EXPECT_EQ(policy.check_base_url("https://169.254.169.254").error.message,
              "Cloud base URL \"https://169.254.169.254\" points to a blocked address.");
}

TEST(UrlPolicy, ParsedUrlIsNormalised) {
    UrlVerdict v = UrlPolicy().check_base_url("HTTPS://WWW.ElizaCloud.AI./api/v1");
    ASSERT_TRUE(v.ok()) << v.error.message;
    EXPECT_EQ(v.url.scheme, "https");
    EXPECT_EQ(v.url.host, "www.elizacloud.ai");
    EXPECT_EQ(v.url.port, 443);
    EXPECT_EQ(v.url.path, "/api/v1");

    v = insecure_policy().check_base_url("http://0x7f000001:8080");
    ASSERT_TRUE(v.ok()) << v.error.message;
    EXPECT_EQ(v.url.host, "127.0.0.1");
    EXPECT_EQ(v.url.port, 8080);
    EXPECT_EQ(v.url.path, "");

    v = insecure_policy().check_base_url("http://[0:0:0:0:0:0:0:1]/x");
    ASSERT_TRUE(v.ok()) << v.error.message;
    EXPECT_EQ(v.url.host, "::1");
    EXPECT_EQ(v.url.port, 80);

    // A refused URL still reports what was parsed.
    v = UrlPolicy().check_base_url("https://2130706433");
    EXPECT_EQ(v.error.status, Status::UrlBlocked);
    EXPECT_EQ(v.url.host, "127.0.0.1");
}

// A refused URL may carry a password or an API key anywhere: messages show neither, only the
// key's 12-character prefix ("eliza_0123ab").
TEST(UrlPolicy, RefusalMessagesRedactSecrets) {
    const std::string key = "eliza_0123abcdefSECRETSECRET";
    const std::vector<std::string> urls = {
        "https://user:hunter2pass@www.elizacloud.ai",
        "https://" + key + "@www.elizacloud.ai",
        "https://" + key + ":x@evil.example/",
        "https://x:" + key + "@10.0.0.1/",
        "http://" + key + "@www.elizacloud.ai",
        "https://evil.example/" + key,
        "https://evil.example/v1/" + key + "/x",
        "https://www.elizacloud.ai/?key=" + key,
        "https://www.elizacloud.ai/?token=hunter2pass",
        "https://www.elizacloud.ai/?" + key,
        "https://www.elizacloud.ai/#" + key,
        "https://www.elizacloud.ai/#hunter2pass",
        "https://" + key + ".evil.example/",
        "https:" + key + "@x",
        "https://a b/" + key,
        "ftp://" + key + "@x/?hunter2pass",
    };
    for (const std::string &url : urls) {
        for (const UrlPolicy &policy : {UrlPolicy(), insecure_policy()}) {
            UrlVerdict v = policy.check_base_url(url);
            ASSERT_FALSE(v.ok()) << url;
            EXPECT_EQ(v.error.message.find("SECRET"), std::string::npos) << v.error.message;
            EXPECT_EQ(v.error.message.find("hunter2pass"), std::string::npos) << v.error.message;
            EXPECT_EQ(v.error.message.find("eliza_0123abc"), std::string::npos) << v.error.message;
        }
    }
    EXPECT_EQ(
        UrlPolicy().check_base_url("https://" + key + ":pw@www.elizacloud.ai/p?q#f").error.message,
        "Cloud base URL \"https://\xE2\x80\xA6@www.elizacloud.ai/p?\xE2\x80\xA6\" must not "
        "contain credentials (user@host).");
    EXPECT_EQ(UrlPolicy().check_base_url("https://evil.example/" + key).error.message,
              "Cloud base URL \"https://evil.example/eliza_0123ab\xE2\x80\xA6\" points to host "
              "\"evil.example\", which is not an allowed Eliza Cloud host (allowed: "
              "elizacloud.ai, www.elizacloud.ai, api.elizacloud.ai, cloud.milady.ai, eliza.app, "
              "api.eliza.app and their subdomains).");
}

TEST(UrlPolicy, AllowListIsExtendedNotReplaced) {
    UrlPolicyOptions options;
    options.allowed_hosts.push_back(" Cloud.Example.ORG. ");
    UrlPolicy policy(options);
    EXPECT_TRUE(policy.check_base_url("https://cloud.example.org").ok());
    EXPECT_TRUE(policy.check_base_url("https://eu.cloud.example.org/").ok());
    EXPECT_TRUE(policy.check_base_url("https://www.elizacloud.ai").ok());
    EXPECT_FALSE(policy.check_base_url("https://example.org").ok());
    EXPECT_FALSE(policy.check_base_url("https://xcloud.example.org").ok());
    // The allow-list never overrides the local-name or address rules.
    options.allowed_hosts = {"corp.internal", "10.0.0.5"};
    UrlPolicy local(options);
    EXPECT_EQ(local.check_base_url("https://cloud.corp.internal").error.status, Status::UrlBlocked);
    EXPECT_EQ(local.check_base_url("https://10.0.0.5").error.status, Status::UrlBlocked);
}

struct AddressCase {
    const char *address;
    bool blocked;
};

const std::vector<AddressCase> kAddressCases = {
    // R166, every range and its edges.
    {"0.0.0.0", true},
    {"0.255.255.255", true},
    {"10.0.0.0", true},
    {"10.255.255.255", true},
    {"172.16.0.0", true},
    {"172.31.255.255", true},
    {"192.168.0.1", true},
    {"100.64.0.0", true},
    {"100.127.255.255", true},
    {"127.0.0.1", true},
    {"169.254.169.254", true},
    {"192.0.0.255", true},
    {"198.18.0.0", true},
    {"198.19.255.255", true},
    {"192.0.2.1", true},
    {"198.51.100.7", true},
    {"203.0.113.9", true},
    {"224.0.0.0", true},
    {"239.1.2.3", true},
    {"240.0.0.1", true},
    {"255.255.255.255", true},
    {"1.0.0.0", false},
    {"9.255.255.255", false},
    {"11.0.0.1", false},
    {"172.15.255.255", false},
    {"172.32.0.1", false},
    {"100.63.255.255", false},
    {"100.128.0.1", false},
    {"126.255.255.255", false},
    {"128.0.0.1", false},
    {"169.253.255.255", false},
    {"169.255.0.0", false},
    {"192.0.1.1", false},
    {"192.0.3.0", false},
    {"198.17.255.255", false},
    {"198.20.0.1", false},
    {"223.255.255.255", false},
    {"8.8.8.8", false},
    // R167.
    {"::", true},
    {"::1", true},
    {"fe80::1", true},
    {"fea0::1", true},
    {"febf::1", true},
    {"fc00::", true},
    {"fdff:ffff::1", true},
    {"ff02::1", true},
    {"fe7f::1", false},
    {"fbff::1", false},
    // R168: IPv4-mapped, judged as IPv4.
    {"::ffff:127.0.0.1", true},
    {"::ffff:7f00:1", true},
    {"::ffff:a9fe:a9fe", true},
    {"0:0:0:0:0:ffff:a00:1", true},
    {"::ffff:8.8.8.8", false},
    // G2.
    {"::127.0.0.1", true},
    {"::8.8.8.8", true},
    {"::ffff:0:7f00:1", true},
    {"::ffff:0:808:808", true},
    {"64:ff9b::7f00:1", true},
    {"64:ff9b::a9fe:a9fe", true},
    {"64:ff9b::808:808", false},  // NAT64 of a public address: reachable on IPv6-only networks
    {"64:ff9b:1::808:808", true},
    {"100::1", true},
    {"100:0:0:1::", false},  // outside 100::/64
    {"2001::1", true},
    {"2001:0:ffff::1", true},
    {"2001:db8::1", true},
    {"2001:4860::8888", false},
    {"2002:7f00:1::", true},
    {"2002::1", true},
    {"2003::1", false},
    {"fec0::1", true},
    {"feff::1", true},
    {"ff00::", true},
    {"ff::1", false},  // 00ff::1 is not multicast (the reference's text test got this wrong)
    {"2606:4700::1111", false},
    {"2a00:1450:4001::200e", false},
};

TEST(UrlPolicy, BlockedAddresses) {
    for (const AddressCase &c : kAddressCases) {
        auto ip = IpAddress::parse(c.address);
        ASSERT_TRUE(ip.has_value()) << c.address;
        EXPECT_EQ(UrlPolicy::is_blocked_address(*ip), c.blocked) << c.address;
    }
}

TEST(UrlPolicy, AddressAllowed) {
    UrlPolicy strict;
    UrlPolicy local = insecure_policy();
    struct Case {
        const char *address;
        bool strict_allowed;
        bool local_allowed;
    };
    const Case cases[] = {
        {"127.0.0.1", false, true},
        {"127.255.255.254", false, true},
        {"::1", false, true},
        {"::ffff:127.0.0.1", false, true},
        {"10.0.0.1", false, false},
        {"169.254.169.254", false, false},
        {"0.0.0.0", false, false},
        {"::", false, false},
        {"::127.0.0.1", false, false},
        {"fe80::1", false, false},
        {"8.8.8.8", true, true},
        {"2606:4700::1111", true, true},
        {"64:ff9b::808:808", true, true},
    };
    for (const Case &c : cases) {
        auto ip = IpAddress::parse(c.address);
        ASSERT_TRUE(ip.has_value()) << c.address;
        EXPECT_EQ(strict.address_allowed(*ip), c.strict_allowed) << c.address;
        EXPECT_EQ(local.address_allowed(*ip), c.local_allowed) << c.address;
    }
}

TEST(UrlPolicy, IpAddressParsing) {
    EXPECT_FALSE(IpAddress::parse("").has_value());
    EXPECT_FALSE(IpAddress::parse("127.1").has_value());  // strict literal, unlike URL hosts
    EXPECT_FALSE(IpAddress::parse("[::1]").has_value());
    EXPECT_FALSE(IpAddress::parse("fe80::1%eth0").has_value());
    EXPECT_FALSE(IpAddress::parse("example.com").has_value());

    auto v4 = IpAddress::parse("192.0.2.33");
    ASSERT_TRUE(v4.has_value());
    EXPECT_TRUE(v4->is_v4);
    EXPECT_EQ(v4->to_string(), "192.0.2.33");

    auto v6 = IpAddress::parse("2001:DB8:0:0:0:0:0:1");
    ASSERT_TRUE(v6.has_value());
    EXPECT_FALSE(v6->is_v4);
    EXPECT_EQ(v6->to_string(), "2001:db8::1");
}

TEST(UrlPolicy, IpAddressFromSockaddr) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(0x7f000001);
    auto a = IpAddress::from_sockaddr(reinterpret_cast<const sockaddr *>(&sin), sizeof sin);
    ASSERT_TRUE(a.has_value());
    EXPECT_TRUE(a->is_v4);
    EXPECT_EQ(a->to_string(), "127.0.0.1");
    EXPECT_TRUE(UrlPolicy::is_loopback(*a));

    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr.s6_addr[0] = 0xfe;
    sin6.sin6_addr.s6_addr[1] = 0x80;
    sin6.sin6_addr.s6_addr[15] = 1;
    sin6.sin6_scope_id = 2;  // a zone does not change the verdict
    auto b = IpAddress::from_sockaddr(reinterpret_cast<const sockaddr *>(&sin6), sizeof sin6);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->to_string(), "fe80::1");
    EXPECT_TRUE(UrlPolicy::is_blocked_address(*b));

    EXPECT_FALSE(IpAddress::from_sockaddr(reinterpret_cast<const sockaddr *>(&sin), 4));
    EXPECT_FALSE(IpAddress::from_sockaddr(nullptr, 0));
}

TEST(UrlPolicy, InsecureLocalFromEnvironmentWarnsOnce) {
    std::vector<std::string> warnings;
    log::set_sink([&](log::Level level, std::string_view line) {
        if (level == log::Level::Warn) warnings.emplace_back(line);
    });
    ::unsetenv("ELIZACLOUD_INSECURE_LOCAL");
    EXPECT_FALSE(insecure_local_from_env());
    ::setenv("ELIZACLOUD_INSECURE_LOCAL", "0", 1);
    EXPECT_FALSE(insecure_local_from_env());
    ::setenv("ELIZACLOUD_INSECURE_LOCAL", "yes", 1);
    EXPECT_FALSE(insecure_local_from_env());
    EXPECT_TRUE(warnings.empty());
    ::setenv("ELIZACLOUD_INSECURE_LOCAL", "1", 1);
    EXPECT_TRUE(insecure_local_from_env());
    EXPECT_TRUE(insecure_local_from_env());
    ::unsetenv("ELIZACLOUD_INSECURE_LOCAL");
    log::set_sink(nullptr);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("ELIZACLOUD_INSECURE_LOCAL"), std::string::npos);
}

TEST(UrlPolicy, ResolveInsecureLocalPrefersTheExplicitChoice) {
    ::setenv("ELIZACLOUD_INSECURE_LOCAL", "1", 1);
    EXPECT_FALSE(resolve_insecure_local(false));
    EXPECT_TRUE(resolve_insecure_local(std::nullopt));
    ::unsetenv("ELIZACLOUD_INSECURE_LOCAL");
    EXPECT_FALSE(resolve_insecure_local(std::nullopt));
    EXPECT_TRUE(resolve_insecure_local(true));
}

// The warning is once per process, however the mode is enabled: through the option with no
// environment variable (each case runs in a fresh process, the flag being process-wide).
int warnings_after(std::optional<bool> option, const char *env, int engines) {
    std::vector<std::string> warnings;
    log::set_sink([&](log::Level level, std::string_view line) {
        if (level == log::Level::Warn && line.find("insecure") != std::string_view::npos)
            warnings.emplace_back(line);
    });
    if (env) {
        ::setenv("ELIZACLOUD_INSECURE_LOCAL", env, 1);
    } else {
        ::unsetenv("ELIZACLOUD_INSECURE_LOCAL");
    }
    for (int i = 0; i < engines; ++i) {
        EngineSpec spec;
        spec.insecure_local = option;
        auto engine = make_engine(std::move(spec));
        if (engine->policy().options().insecure_local != option.value_or(env != nullptr)) return -1;
    }
    log::set_sink(nullptr);
    return static_cast<int>(warnings.size());
}

TEST(UrlPolicyDeathTest, InsecureLocalWarnsOnceHoweverEnabled) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-executes: a fresh once-flag
    EXPECT_EXIT(std::exit(warnings_after(true, nullptr, 3)), ::testing::ExitedWithCode(1), "");
    EXPECT_EXIT(std::exit(warnings_after(std::nullopt, "1", 3)), ::testing::ExitedWithCode(1), "");
    EXPECT_EXIT(std::exit(warnings_after(true, "1", 2)), ::testing::ExitedWithCode(1), "");
    // An explicit "off" wins over the environment, and nothing is logged.
    EXPECT_EXIT(std::exit(warnings_after(false, "1", 2)), ::testing::ExitedWithCode(0), "");
    EXPECT_EXIT(std::exit(warnings_after(std::nullopt, nullptr, 2)), ::testing::ExitedWithCode(0),
                "");
}

}  // namespace
}  // namespace elizacloud
