#include "mount_fd.hpp"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstring>

namespace berth::engine::detail {
namespace {

// Feeds "k=v,flag,..." to fsconfig one parameter at a time.
bool configure(int fs_fd, const char* data) {
    char buf[PATH_MAX];
    const std::size_t n = strnlen(data, sizeof buf);
    if (n >= sizeof buf) {
        errno = E2BIG;
        return false;
    }
    std::memcpy(buf, data, n + 1);
    char* save = nullptr;
    for (char* word = strtok_r(buf, ",", &save); word; word = strtok_r(nullptr, ",", &save)) {
        char* eq = std::strchr(word, '=');
        int rc;
        if (eq) {
            *eq = '\0';
            rc = fsconfig(fs_fd, FSCONFIG_SET_STRING, word, eq + 1, 0);
        } else {
            rc = fsconfig(fs_fd, FSCONFIG_SET_FLAG, word, nullptr, 0);
        }
        if (rc < 0) return false;
    }
    return true;
}

bool close_and_fail(int fd) {
    int saved = errno;
    close(fd);
    errno = saved;
    return false;
}

}  // namespace

unsigned int mount_attrs(unsigned long f) {
    unsigned int a = 0;
    if (f & MS_RDONLY) a |= MOUNT_ATTR_RDONLY;
    if (f & MS_NOSUID) a |= MOUNT_ATTR_NOSUID;
    if (f & MS_NODEV) a |= MOUNT_ATTR_NODEV;
    if (f & MS_NOEXEC) a |= MOUNT_ATTR_NOEXEC;
    if (f & MS_NOATIME) a |= MOUNT_ATTR_NOATIME;
    if (f & MS_STRICTATIME) a |= MOUNT_ATTR_STRICTATIME;
    if (f & MS_NODIRATIME) a |= MOUNT_ATTR_NODIRATIME;
    return a;
}

bool mount_fs_on(int target_fd, const char* fstype, const char* source, unsigned long ms_flags,
                 const char* data) {
    int fs = fsopen(fstype, FSOPEN_CLOEXEC);
    if (fs < 0) return false;
    if (fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0) return close_and_fail(fs);
    if ((ms_flags & MS_SYNCHRONOUS) && fsconfig(fs, FSCONFIG_SET_FLAG, "sync", nullptr, 0) < 0) {
        return close_and_fail(fs);
    }
    if (data && *data && !configure(fs, data)) return close_and_fail(fs);
    if (fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) return close_and_fail(fs);
    int mnt = fsmount(fs, FSMOUNT_CLOEXEC, mount_attrs(ms_flags));
    if (mnt < 0) return close_and_fail(fs);
    close(fs);
    int rc = move_mount(mnt, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    if (rc < 0) return close_and_fail(mnt);
    close(mnt);
    return true;
}

bool attach_tree_on(int tree_fd, int target_fd, unsigned long ms_flags, bool recursive) {
    mount_attr attr{};
    attr.attr_set = mount_attrs(ms_flags);
    if (attr.attr_set != 0 &&
        mount_setattr(tree_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
                      sizeof attr) < 0) {
        return false;
    }
    return move_mount(tree_fd, "", target_fd, "",
                      MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) == 0;
}

bool set_propagation(int mount_fd, unsigned long propagation) {
    mount_attr attr{};
    attr.propagation = propagation & ~static_cast<unsigned long>(MS_REC);
    const unsigned int rec = (propagation & MS_REC) ? AT_RECURSIVE : 0;
    return mount_setattr(mount_fd, "", AT_EMPTY_PATH | rec, &attr, sizeof attr) == 0;
}

}  // namespace berth::engine::detail
