#include "store/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "util/error.hpp"

namespace elizacloud {

namespace {

[[noreturn]] void throw_io(std::string_view what, const std::string &path, int err) {
    throw Error(Status::Io, io_error_text(what, path, err));
}

// Closes the descriptor on every path out of a function.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return fd_; }
    // close() reports deferred write errors (NFS, quotas), so the write path checks it.
    int close() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

void write_all(int fd, std::string_view content, const std::string &path) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_io("write", path, errno);
        }
        content.remove_prefix(static_cast<size_t>(n));
    }
}

int open_exclusive(const std::string &path, mode_t mode) {
    for (int attempt = 0;; ++attempt) {
        const int fd =
            ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd >= 0 || errno != EEXIST || attempt > 0) return fd;
        // Left by a writer that died before renaming it (we hold the writers' lock): stale.
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) return -1;
    }
}

void fsync_directory(const std::string &dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) throw_io("open directory", dir, errno);
    // Some file systems cannot fsync a directory (EINVAL); the rename is then as durable as
    // they make it.
    if (::fsync(fd.get()) != 0 && errno != EINVAL) throw_io("fsync directory", dir, errno);
}

}  // namespace

std::string io_error_text(std::string_view what, const std::string &path, int err) {
    return std::string(what) + " " + path + ": " + std::system_category().message(err);
}

std::string parent_directory(const std::string &path) {
    const size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::optional<std::string> read_whole_file(const std::string &path, size_t max_bytes) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw_io("open", path, errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw_io("stat", path, errno);
    if (!S_ISREG(st.st_mode)) throw Error(Status::Io, "read " + path + ": not a regular file");
    std::string content;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_io("read", path, errno);
        }
        if (n == 0) return content;
        if (content.size() + static_cast<size_t>(n) > max_bytes) {
            throw Error(Status::Io,
                        "read " + path + ": larger than " + std::to_string(max_bytes) + " bytes");
        }
        content.append(buffer, static_cast<size_t>(n));
    }
}

void create_directories(const std::string &dir, mode_t mode) {
    // Walk the components from the root; each missing one is created. Existing ones are only
    // looked at, so read-only ancestors (/, /home) are no obstacle.
    for (size_t pos = dir.find('/', 1);; pos = dir.find('/', pos + 1)) {
        const std::string prefix = dir.substr(0, pos);
        struct stat st {};
        if (::stat(prefix.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) throw_io("create directory", prefix, ENOTDIR);
        } else if (errno != ENOENT) {
            throw_io("stat", prefix, errno);
        } else if (::mkdir(prefix.c_str(), mode) == 0) {
            if (::chmod(prefix.c_str(), mode) != 0) throw_io("chmod", prefix, errno);
        } else if (errno != EEXIST) {  // EEXIST: another process made it meanwhile
            throw_io("create directory", prefix, errno);
        }
        if (pos == std::string::npos) return;
    }
}

void replace_file_atomically(const std::string &path, std::string_view content, mode_t mode) {
    const std::string temp = path + ".tmp";
    Fd fd(open_exclusive(temp, mode));
    if (fd.get() < 0) throw_io("create", temp, errno);
    try {
        // The umask may have removed bits from the requested mode.
        if (::fchmod(fd.get(), mode) != 0) throw_io("chmod", temp, errno);
        write_all(fd.get(), content, temp);
        if (::fsync(fd.get()) != 0) throw_io("fsync", temp, errno);
        if (fd.close() != 0) throw_io("close", temp, errno);
        if (::rename(temp.c_str(), path.c_str()) != 0)
            throw_io("rename " + temp + " to", path, errno);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    fsync_directory(parent_directory(path));
}

}  // namespace elizacloud
