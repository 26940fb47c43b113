// util/encoding: base64 both ways (binary answers carried in JSON, files given as bytes), with the
// RFC 4648 test vectors and the forms a decoder must refuse rather than guess at.
#include "util/encoding.hpp"

#include <gtest/gtest.h>

#include <string>

namespace elizacloud {
namespace {

TEST(Base64, RoundTripsTheRfcVectorsAndEveryByte) {
    const std::pair<const char *, const char *> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto &[plain, coded] : vectors) {
        EXPECT_EQ(base64_encode(plain), coded);
        EXPECT_EQ(base64_decode(coded).value_or("?"), plain) << coded;
    }
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    EXPECT_EQ(base64_decode(base64_encode(all)).value_or(""), all);
    // Padding may be left out.
    EXPECT_EQ(base64_decode("Zm9vYg").value_or("?"), "foob");
    EXPECT_EQ(base64_decode("Zm9vYmE").value_or("?"), "fooba");
}

TEST(Base64, RefusesWhatIsNotCanonicalBase64) {
    for (const char *bad : {"Z", "Zm9vY", "Zg=", "Zg===", "Zm9v=", "Zm 9v", "Zm9v\n", "Zm-_",
                            "Zh==", "Zm9=", "=Zm9", "Z=g="})
        EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
}

}  // namespace
}  // namespace elizacloud
