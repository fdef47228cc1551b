// /dev inside the container: device nodes (mknod, or binds of the host's nodes in a user
// namespace, where mknod is refused) and the standard symlinks.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mount_fd.hpp"
#include "rootfs.hpp"
#include "safe_path.hpp"
#include "sync.hpp"

namespace berth::engine::detail {
namespace {

bool make_device(const DevicePlan& d, bool bind, int root_fd) {
    const char* path = d.node.path.c_str();
    if (bind) {
        int fd = create_file_in_root(root_fd, path, 0666);
        if (fd < 0) return fail(Step::Mknod, path);
        bool ok = attach_tree_on(d.tree_fd, fd, 0, false);
        int saved = errno;
        close(fd);
        close(d.tree_fd);
        return ok || fail(Step::Mount, path, saved);
    }
    const char* base = nullptr;
    int dir = parent_in_root(root_fd, path, &base);
    if (dir < 0) return fail(Step::Mkdir, path);
    const mode_t type = d.node.type == 'b' ? S_IFBLK : S_IFCHR;
    int rc = mknodat(dir, base, type | (d.node.mode & 07777), makedev(d.node.major, d.node.minor));
    if (rc < 0 && errno == EEXIST) rc = 0;
    if (rc == 0 && (d.node.uid != 0 || d.node.gid != 0)) {
        rc = fchownat(dir, base, d.node.uid, d.node.gid, AT_SYMLINK_NOFOLLOW);
    }
    int saved = errno;
    close(dir);
    return rc == 0 || fail(Step::Mknod, path, saved);
}

bool make_symlink(const Symlink& l, int root_fd) {
    const char* base = nullptr;
    int dir = parent_in_root(root_fd, l.path.c_str(), &base);
    if (dir < 0) return fail(Step::Mkdir, l.path.c_str());
    int rc = symlinkat(l.target.c_str(), dir, base);
    int saved = errno;
    close(dir);
    return rc == 0 || saved == EEXIST || fail(Step::Symlink, l.path.c_str(), saved);
}

}  // namespace

bool populate_dev(const ChildPlan& p, int root_fd) {
    for (const auto& d : p.devices) {
        if (!make_device(d, p.bind_devices, root_fd)) return false;
    }
    for (const auto& l : p.dev_symlinks) {
        if (!make_symlink(l, root_fd)) return false;
    }
    return true;
}

}  // namespace berth::engine::detail
