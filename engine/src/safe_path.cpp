#include "safe_path.hpp"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace berth::engine::detail {
namespace {

int openat2_in_root(int root_fd, const char* path, int flags, mode_t mode, bool no_symlinks) {
    while (*path == '/') ++path;
    if (*path == '\0') path = ".";
    open_how how{};
    how.flags = static_cast<unsigned long long>(flags | O_CLOEXEC);
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | (no_symlinks ? RESOLVE_NO_SYMLINKS : 0);
    long fd;
    do {
        fd = syscall(SYS_openat2, root_fd, path, &how, sizeof how);
        // EAGAIN: a concurrent rename raced the lookup; the kernel asks us to retry.
    } while (fd < 0 && (errno == EAGAIN || errno == EINTR));
    return static_cast<int>(fd);
}

// Splits "a/b/c" into dir "a/b" (copied into buf) and base "c".
bool split_path(const char* path, char (&buf)[PATH_MAX], const char** base) {
    const std::size_t n = strnlen(path, PATH_MAX);
    if (n >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return false;
    }
    std::memcpy(buf, path, n + 1);
    std::size_t end = n;
    while (end > 1 && buf[end - 1] == '/') buf[--end] = '\0';
    char* slash = std::strrchr(buf, '/');
    *base = path + (slash ? slash - buf + 1 : 0);
    if (slash == buf) {
        buf[1] = '\0';
    } else if (slash) {
        *slash = '\0';
    } else {
        buf[0] = '/';
        buf[1] = '\0';
    }
    return true;
}

// A dangling symlink in the image (e.g. /etc/resolv.conf -> ../run/systemd/resolve/stub-...)
// is followed the way runc does: what it points to is created, inside the root. Bounded like
// the kernel's own symlink limit.
constexpr int kMaxLinkDepth = 8;

// When `base` in `parent` (the directory `dir`) is a symlink, writes the root-relative path it
// points to into out.
bool link_target(int parent, const char* dir, const char* base, char (&out)[PATH_MAX]) {
    char link[PATH_MAX];
    ssize_t n = readlinkat(parent, base, link, sizeof link - 1);
    if (n <= 0) return false;
    link[n] = '\0';
    int len = link[0] == '/' ? snprintf(out, sizeof out, "%s", link)
                             : snprintf(out, sizeof out, "%s/%s", dir, link);
    return len > 0 && len < PATH_MAX;
}

int open_dir(int root_fd, const char* path, bool no_symlinks) {
    return openat2_in_root(root_fd, path, O_PATH | O_DIRECTORY, 0, no_symlinks);
}

int mkdir_at_depth(int root_fd, const char* path, mode_t mode, bool no_symlinks, int depth) {
    int fd = open_dir(root_fd, path, no_symlinks);
    if (fd >= 0 || errno != ENOENT) return fd;
    const char* base = nullptr;
    char dir[PATH_MAX];
    if (!split_path(path, dir, &base)) return -1;
    int parent = mkdir_at_depth(root_fd, dir, mode, no_symlinks, depth);
    if (parent < 0) return -1;
    // mkdirat on the resolved parent fd: a component swapped for a symlink meanwhile makes this
    // fail with EEXIST, and the re-resolution below stays inside the root.
    int rc = mkdirat(parent, base, mode);
    int saved = errno;
    char target[PATH_MAX];
    const bool follow = rc < 0 && saved == EEXIST && !no_symlinks && depth < kMaxLinkDepth &&
                        link_target(parent, dir, base, target);
    close(parent);
    if (follow) {
        int t = mkdir_at_depth(root_fd, target, mode, false, depth + 1);
        if (t < 0) return -1;
        close(t);
    } else if (rc < 0 && saved != EEXIST) {
        errno = saved;
        return -1;
    }
    return open_dir(root_fd, path, no_symlinks);
}

int create_at_depth(int root_fd, const char* path, mode_t mode, int depth) {
    int fd = openat2_in_root(root_fd, path, O_PATH, 0, false);
    if (fd >= 0 || errno != ENOENT) return fd;
    const char* base = nullptr;
    char dir[PATH_MAX];
    if (!split_path(path, dir, &base)) return -1;
    int parent = mkdir_at_depth(root_fd, dir, 0755, false, depth);
    if (parent < 0) return -1;
    int created = openat2_in_root(root_fd, path, O_CREAT | O_RDONLY | O_NOCTTY, mode, false);
    int saved = errno;
    char target[PATH_MAX];
    const bool follow = created < 0 && saved == ENOENT && depth < kMaxLinkDepth &&
                        link_target(parent, dir, base, target);
    close(parent);
    if (follow) {
        int t = create_at_depth(root_fd, target, mode, depth + 1);
        if (t < 0) return -1;
        close(t);
    } else if (created < 0) {
        errno = saved;
        return -1;
    } else {
        close(created);
    }
    return openat2_in_root(root_fd, path, O_PATH, 0, false);
}

}  // namespace

int open_in_root(int root_fd, const char* path, int extra_flags, bool no_symlinks) {
    return openat2_in_root(root_fd, path, O_PATH | extra_flags, 0, no_symlinks);
}

int open_file_in_root(int root_fd, const char* path, int flags) {
    return openat2_in_root(root_fd, path, flags, 0, true);
}

int mkdir_in_root(int root_fd, const char* path, mode_t mode, bool no_symlinks) {
    return mkdir_at_depth(root_fd, path, mode, no_symlinks, 0);
}

int parent_in_root(int root_fd, const char* path, const char** base) {
    char dir[PATH_MAX];
    if (!split_path(path, dir, base)) return -1;
    return mkdir_in_root(root_fd, dir, 0755);
}

int create_file_in_root(int root_fd, const char* path, mode_t mode) {
    return create_at_depth(root_fd, path, mode, 0);
}

}  // namespace berth::engine::detail
