// Path operations inside the container root that cannot escape it. Every lookup goes through
// openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) relative to a root dirfd, so a symlink or ".."
// in the image (CVE-2019-19921, CVE-2026-41579) resolves inside the root, and /proc magic links
// (/proc/self/root, /proc/<pid>/fd/N) are refused. Child-side: no allocation.
#pragma once

#include <sys/types.h>

namespace berth::engine::detail {

// O_PATH|O_CLOEXEC plus extra_flags; no_symlinks refuses any symlink on the way (ELOOP).
// Returns the fd or -1 with errno set.
int open_in_root(int root_fd, const char* path, int extra_flags, bool no_symlinks = false);

// A real open (not O_PATH) with flags, refusing every symlink on the way.
int open_file_in_root(int root_fd, const char* path, int flags);

// Like `mkdir -p`, inside the root; returns an O_PATH fd of the directory or -1.
int mkdir_in_root(int root_fd, const char* path, mode_t mode, bool no_symlinks = false);

// Creates an empty file (and its parent directories) if missing; returns an O_PATH fd or -1.
int create_file_in_root(int root_fd, const char* path, mode_t mode);

// The parent directory (created if needed) and the last component of path, for *at() calls.
// Returns the directory fd or -1; *base points into path.
int parent_in_root(int root_fd, const char* path, const char** base);

}  // namespace berth::engine::detail
