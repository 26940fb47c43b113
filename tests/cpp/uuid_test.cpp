// uuid_v4: shape, uniqueness, and that the batched randomness is never shared across a fork
// (a child that handed out its parent's next UUIDs would duplicate message and session ids).
#include "util/uuid.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <set>
#include <string>

namespace elizacloud {
namespace {

TEST(Uuid, FreshVersion4IdsAreUniqueAcrossRefills) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {  // many times the batch: crosses refills
        const std::string id = uuid_v4();
        ASSERT_TRUE(is_uuid(id)) << id;
        EXPECT_EQ(id[14], '4') << id;
        EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
        EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
    }
}

TEST(Uuid, AForkedChildDoesNotRepeatItsParentsNextIds) {
    (void)uuid_v4();  // the buffer now holds the next ids of this thread
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const std::string id = uuid_v4();
        const bool ok = ::write(fds[1], id.data(), id.size()) == static_cast<ssize_t>(id.size());
        ::_exit(ok ? 0 : 1);
    }
    ::close(fds[1]);
    char buffer[64] = {};
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer - 1);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_EQ(n, 36);
    const std::string parent = uuid_v4();
    EXPECT_NE(std::string(buffer, 36), parent);
}

}  // namespace
}  // namespace elizacloud
