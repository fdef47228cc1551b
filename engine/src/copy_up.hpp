// A volume's first mount: what the image has at the mount point is copied into the empty volume,
// as Docker does, so an image's default data or config is there when its program starts.
// Works on directory file descriptors only (the container's root is already pivoted, and the
// volume is a detached mount), and never follows a symlink.
#pragma once

namespace berth::engine::detail {

// Whether the directory holds nothing but "." and "..". False with errno set on failure.
bool dir_is_empty(int dir_fd, bool* empty);

// Copies everything under src_dir_fd into dst_dir_fd: folders, regular files, symlinks, fifos,
// with their owners, modes and times, then gives dst the owner and mode of src. Device nodes
// and sockets are skipped. False with errno set on the first failure.
bool copy_dir_contents(int src_dir_fd, int dst_dir_fd);

}  // namespace berth::engine::detail
