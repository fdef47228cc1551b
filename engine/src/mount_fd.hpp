// Mounting onto file descriptors with the new mount API (fsopen/fsmount/open_tree/move_mount,
// Linux 5.2+; mount_setattr 5.12+). A target is an O_PATH fd resolved safely inside the root, so
// no path is looked up again between the check and the mount (the runc path races,
// CVE-2025-31133). Child-side: no allocation.
#pragma once

namespace berth::engine::detail {

// MS_* flags to MOUNT_ATTR_* (those the VFS mount carries: ro, nosuid, nodev, noexec, atime).
unsigned int mount_attrs(unsigned long ms_flags);

// Creates a filesystem (fstype, source, comma-separated data as in mount(8)) and attaches it on
// target_fd. Returns false with errno set.
bool mount_fs_on(int target_fd, const char* fstype, const char* source, unsigned long ms_flags,
                 const char* data);

// Applies ms_flags (ro, nosuid, ...) to a detached tree from open_tree() and attaches it on
// target_fd.
bool attach_tree_on(int tree_fd, int target_fd, unsigned long ms_flags, bool recursive);

// Sets MS_SHARED / MS_SLAVE / MS_PRIVATE / MS_UNBINDABLE (| MS_REC) on the mount at mount_fd.
bool set_propagation(int mount_fd, unsigned long propagation);

}  // namespace berth::engine::detail
