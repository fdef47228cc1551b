#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mount_fd.hpp"
#include "rootfs.hpp"
#include "safe_path.hpp"
#include "sync.hpp"

namespace berth::engine::detail {
namespace {

// CVE-2025-31133: an image (or a racing process) that replaces /dev/null with a symlink to a
// procfs file would get that file bind-mounted read-write over the masked paths. The fd we bind
// from must be the real null device.
int open_verified_dev_null(int root_fd) {
    int fd = open_in_root(root_fd, "/dev/null", 0, true);
    if (fd < 0) {
        fail(Step::VerifyDevNull, "/dev/null");
        return -1;
    }
    struct stat st {};
    if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
        close(fd);
        fail(Step::VerifyDevNull, "/dev/null", ENODEV);
        return -1;
    }
    return fd;
}

bool mask_one(int root_fd, int dev_null, const char* path) {
    int fd = open_in_root(root_fd, path, 0, true);
    if (fd < 0) return errno == ENOENT || fail(Step::MaskPath, path);
    struct stat st {};
    bool ok = fstat(fd, &st) == 0;
    if (ok && S_ISDIR(st.st_mode)) {
        ok = mount_fs_on(fd, "tmpfs", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
    } else if (ok) {
        int tree = open_tree(dev_null, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        ok = tree >= 0 && attach_tree_on(tree, fd, 0, false);
        if (tree >= 0) close(tree);
    }
    int saved = errno;
    close(fd);
    return ok || fail(Step::MaskPath, path, saved);
}

bool readonly_one(int root_fd, const char* path) {
    int fd = open_in_root(root_fd, path, 0, true);
    if (fd < 0) return errno == ENOENT || fail(Step::ReadonlyPath, path);
    int tree =
        open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
    bool ok =
        tree >= 0 && attach_tree_on(tree, fd, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, true);
    int saved = errno;
    if (tree >= 0) close(tree);
    close(fd);
    return ok || fail(Step::ReadonlyPath, path, saved);
}

}  // namespace

bool mask_paths(const ChildPlan& p, int root_fd) {
    if (p.masked_paths.empty()) return true;
    int dev_null = open_verified_dev_null(root_fd);
    if (dev_null < 0) return false;
    for (const auto& path : p.masked_paths) {
        if (!mask_one(root_fd, dev_null, path.c_str())) {
            close(dev_null);
            return false;
        }
    }
    close(dev_null);
    return true;
}

bool make_paths_readonly(const ChildPlan& p, int root_fd) {
    for (const auto& path : p.readonly_paths) {
        if (!readonly_one(root_fd, path.c_str())) return false;
    }
    return true;
}

}  // namespace berth::engine::detail
