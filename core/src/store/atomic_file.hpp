// Whole-file I/O for small files that must survive crashes (the config file): read all of it,
// create its directory, replace it atomically. Failures throw Error(Status::Io) naming the path
// and the system's reason.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace elizacloud {

// The whole content of a regular file, or nullopt when it does not exist. Larger than max_bytes,
// not a regular file or unreadable: Error(Io).
std::optional<std::string> read_whole_file(const std::string &path, size_t max_bytes);

// mkdir -p. Only the directories this call creates get `mode` (exactly, whatever the umask);
// existing ones are left alone, since they may be the user's home.
void create_directories(const std::string &dir, mode_t mode);

// Replaces `path` with `content` so that a crash at any point leaves either the old or the new
// file: writes "<path>.tmp" (O_EXCL, `mode`), fsyncs it, renames it over `path`, fsyncs the
// directory. The result has exactly `mode`, even when the old file had another one.
// The temp name is fixed, so callers serialise writers of one path (ConfigStore holds a lock);
// a temp file left by a writer that crashed is removed and does not block the next write.
void replace_file_atomically(const std::string &path, std::string_view content, mode_t mode);

// The directory part of a path ("." when it has none).
std::string parent_directory(const std::string &path);

// "open /x/y: Permission denied" style text for errno value err.
std::string io_error_text(std::string_view what, const std::string &path, int err);

}  // namespace elizacloud
