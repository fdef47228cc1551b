#include "network/netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <thread>

#include "network/netlink.hpp"

namespace berth::network {

namespace {

// On a thread of its own: a new namespace, pinned at `path` (an existing empty file), lo up.
Result<void> pin_new_namespace(const std::string& path) {
    Result<void> out;
    std::thread([&] {
        // The thread alone moves; it ends right after, taking nothing of the namespace with it
        // but the pin.
        if (::unshare(CLONE_NEWNET) != 0) {
            out = errno_error("unshare the network namespace", errno);
            return;
        }
        if (::mount("/proc/thread-self/ns/net", path.c_str(), nullptr, MS_BIND, nullptr) != 0) {
            out = errno_error("bind-mount the namespace on " + path, errno);
            return;
        }
        auto nl = Netlink::open();
        if (!nl) {
            out = nl.error();
            return;
        }
        out = nl->set_up("lo");
    }).join();
    return out;
}

}  // namespace

Result<void> create_netns(const std::string& path) {
    const std::string what = "create network namespace " + path;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    if (fd < 0) {
        if (errno == EEXIST) return Error(what + ": it exists already", EEXIST);
        return errno_error(what, errno);
    }
    // Exactly 0444 whatever the umask: the pin is never written through.
    (void)::fchmod(fd, 0444);
    ::close(fd);
    auto pinned = pin_new_namespace(path);
    if (!pinned) {
        // Whichever step failed, undo both; the unpinned file is ours to remove.
        (void)remove_netns(path);
        return pinned.error().context(what);
    }
    return {};
}

Result<void> remove_netns(const std::string& path) {
    const std::string what = "remove network namespace " + path;
    Error first;
    bool failed = false;
    // EINVAL: not a mount point (a crash between create and mount, or a second removal).
    if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
        first = errno_error(what + ": unmount", errno);
        failed = true;
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        Error e = errno_error(what + ": unlink", errno);
        if (failed) return Error(first.message() + "; " + e.message(), first.errnum());
        return e;
    }
    if (failed) return first;
    return {};
}

Result<void> in_netns(const std::string& path, const std::function<Result<void>()>& fn) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_error("open network namespace " + path, errno);
    Result<void> out;
    std::thread([&] {
        if (::setns(fd, CLONE_NEWNET) != 0) {
            out = errno_error("enter network namespace " + path, errno);
            return;
        }
        try {
            out = fn();
        } catch (const std::exception& e) {
            out = Error(std::string("in network namespace ") + path + ": " + e.what());
        }
    }).join();
    ::close(fd);
    return out;
}

}  // namespace berth::network
