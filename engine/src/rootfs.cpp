#include "rootfs.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "copy_up.hpp"
#include "mount_fd.hpp"
#include "safe_path.hpp"
#include "sync.hpp"

namespace berth::engine::detail {
namespace {

int clone_tree(const char* host_path, bool recursive) {
    return open_tree(AT_FDCWD, host_path,
                     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
}

// Cloned while the namespace's mounts are still copies of the host's: a clone of a shared host
// mount joins its peer group, so a bind asked to be rslave (or rshared) has a master to receive
// from. Each bind's own propagation is set when it is attached (rprivate unless asked).
bool open_bind_trees(ChildPlan& p) {
    for (std::size_t i = 0; i < p.mounts.size(); ++i) {
        const MountStep& m = p.mounts[i];
        if (m.kind != MountStep::Kind::Bind) continue;
        p.mount_tree_fds[i] = clone_tree(m.source.c_str(), m.recursive);
        if (p.mount_tree_fds[i] < 0) return fail(Step::OpenTree, m.source.c_str());
    }
    return true;
}

bool open_file_trees(ChildPlan& p) {
    for (auto& f : p.etc_files) {
        f.tree_fd = clone_tree(f.host_path.c_str(), false);
        if (f.tree_fd < 0) return fail(Step::OpenTree, f.host_path.c_str());
    }
    if (!p.bind_devices) return true;
    for (auto& d : p.devices) {
        d.tree_fd = clone_tree(d.host_path.c_str(), false);
        if (d.tree_fd < 0) return fail(Step::OpenTree, d.host_path.c_str());
    }
    return true;
}

bool mount_step(ChildPlan& p, std::size_t i, int root_fd) {
    const MountStep& m = p.mounts[i];
    const char* target = m.target.c_str();
    int fd = m.file_target ? create_file_in_root(root_fd, target, 0644)
                           : mkdir_in_root(root_fd, target, 0755, m.no_symlinks);
    if (fd < 0) return fail(Step::Mkdir, target);
    bool ok;
    if (m.kind == MountStep::Kind::Bind) {
        const int tree = p.mount_tree_fds[i];
        bool empty = false;
        if (m.copy_up && (!dir_is_empty(tree, &empty) || (empty && !copy_dir_contents(fd, tree)))) {
            int saved = errno;
            close(fd);
            return fail(Step::CopyUp, target, saved);
        }
        ok = attach_tree_on(tree, fd, m.flags, m.recursive) &&
             (m.propagation == 0 || set_propagation(tree, m.propagation));
        close(tree);
        p.mount_tree_fds[i] = -1;
    } else {
        ok = mount_fs_on(fd, m.fstype.c_str(), m.source.c_str(), m.flags, m.data.c_str());
    }
    int saved = errno;
    close(fd);
    if (!ok) return fail(Step::Mount, target, saved);
    return true;
}

bool bind_etc_file(const HostBind& f, int root_fd) {
    int fd = create_file_in_root(root_fd, f.target.c_str(), 0644);
    if (fd < 0) return fail(Step::Mkdir, f.target.c_str());
    bool ok = attach_tree_on(f.tree_fd, fd, 0, false);
    int saved = errno;
    close(fd);
    close(f.tree_fd);
    return ok || fail(Step::Mount, f.target.c_str(), saved);
}

}  // namespace

bool prepare_rootfs(ChildPlan& p) {
    if (!open_bind_trees(p)) return false;
    // Nothing we mount may propagate back to the host (and pivot_root refuses shared mounts).
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) {
        return fail(Step::MountPrivate, "/");
    }
    const char* root = p.rootfs.c_str();
    if (!p.overlay_data.empty()) {
        if (mount("overlay", root, "overlay", 0, p.overlay_data.c_str()) < 0) {
            return fail(Step::MountOverlay, root);
        }
    } else if (mount(root, root, nullptr, MS_BIND | MS_REC, nullptr) < 0) {
        // pivot_root needs the new root to be a mount point.
        return fail(Step::BindRootfs, root);
    }
    return open_file_trees(p);
}

bool pivot_into_rootfs(const ChildPlan& p, int* root_fd) {
    const char* root = p.rootfs.c_str();
    if (chdir(root) < 0) return fail(Step::PivotRoot, root);
    // pivot_root(".", ".") stacks the old root on top of the new one; detaching "." then drops
    // it without needing a directory for it inside the image (runc, nsjail).
    if (syscall(SYS_pivot_root, ".", ".") < 0) return fail(Step::PivotRoot, root);
    if (umount2(".", MNT_DETACH) < 0) return fail(Step::UmountOldRoot, root);
    if (chdir("/") < 0) return fail(Step::Chdir, "/");
    *root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    return *root_fd >= 0 || fail(Step::PivotRoot, "/");
}

bool mount_all(ChildPlan& p, int root_fd) {
    for (std::size_t i = 0; i < p.mounts.size(); ++i) {
        if (!mount_step(p, i, root_fd)) return false;
    }
    if (!populate_dev(p, root_fd)) return false;
    for (const auto& f : p.etc_files) {
        if (!bind_etc_file(f, root_fd)) return false;
    }
    int cwd = mkdir_in_root(root_fd, p.cwd.c_str(), 0755);
    if (cwd < 0) return fail(Step::Mkdir, p.cwd.c_str());
    close(cwd);
    return true;
}

bool remount_root_readonly(int root_fd) {
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    return mount_setattr(root_fd, "", AT_EMPTY_PATH, &attr, sizeof attr) == 0 ||
           fail(Step::RemountRo, "/");
}

}  // namespace berth::engine::detail
