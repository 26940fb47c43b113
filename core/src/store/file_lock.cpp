#include "store/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "store/atomic_file.hpp"
#include "util/error.hpp"

namespace elizacloud {

FileLock::FileLock(const std::string &lock_path)
    : fd_(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) {
    if (fd_ < 0) throw Error(Status::Io, io_error_text("open lock file", lock_path, errno));
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd_);
        throw Error(Status::Io, io_error_text("lock", lock_path, err));
    }
}

// The lock file itself stays: removing it would let two processes lock two different files.
FileLock::~FileLock() {
    ::close(fd_);
}

}  // namespace elizacloud
