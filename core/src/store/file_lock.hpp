// An exclusive advisory lock (flock) on a lock file, held for the object's lifetime. It serialises
// processes, and also threads of one process, since each FileLock opens its own description.
#pragma once

#include <string>

namespace elizacloud {

class FileLock {
public:
    // Creates the lock file (mode 0600) if needed and blocks until the lock is ours.
    // Error(Status::Io) when the file cannot be opened or locked.
    explicit FileLock(const std::string &lock_path);
    ~FileLock();
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;

private:
    int fd_;
};

}  // namespace elizacloud
