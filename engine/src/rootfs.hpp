// The container's root filesystem, in the child: private propagation, the overlay (or a bind of
// the rootfs folder), every mount of the plan, /dev and the /etc files, then pivot_root.
#pragma once

#include "child_plan.hpp"

namespace berth::engine::detail {

// Before pivot_root: / rprivate, the rootfs mount, and open_tree() of every host bind source
// (spec binds, /etc files from the state folder, host device nodes in a user namespace).
bool prepare_rootfs(ChildPlan& p);

// pivot_root(".", ".") into the rootfs and detach the old root; returns an O_PATH fd of the new /.
bool pivot_into_rootfs(const ChildPlan& p, int* root_fd);

// The mounts of the plan in order, then /dev nodes and links, then /etc/{hosts,hostname,
// resolv.conf}, then the cwd (created if missing, as Docker does). root_fd is the new root; every
// path is resolved inside it.
bool mount_all(ChildPlan& p, int root_fd);

// Device nodes and /dev symlinks (after the /dev tmpfs is mounted).
bool populate_dev(const ChildPlan& p, int root_fd);

// Makes / read-only (the mount only: tmpfs and bind mounts under it keep their own flags).
bool remount_root_readonly(int root_fd);

// Docker's masked paths (with /dev/null checked to be char 1:3 first, CVE-2025-31133) and
// read-only paths.
bool mask_paths(const ChildPlan& p, int root_fd);
bool make_paths_readonly(const ChildPlan& p, int root_fd);

}  // namespace berth::engine::detail
