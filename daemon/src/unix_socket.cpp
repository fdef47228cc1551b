#include "unix_socket.hpp"

#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

#include "log.hpp"

namespace berth::daemon {
namespace {

Result<sockaddr_un> socket_address(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        return Error("socket path " + path + " is longer than " +
                     std::to_string(sizeof addr.sun_path - 1) + " bytes");
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

// A socket file nobody listens on is what a crashed daemon leaves; one that answers belongs to
// a running daemon, and unlinking it would orphan that daemon's clients.
Result<void> remove_stale_socket(const std::string& path, const sockaddr_un& addr) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return {};
    if (!S_ISSOCK(st.st_mode)) return Error(path + " exists and is not a socket");
    int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return errno_error("socket", errno);
    int rc = ::connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    int err = errno;
    ::close(probe);
    if (rc == 0) return Error("another berthd is listening on " + path);
    if (err != ECONNREFUSED) return errno_error("probe " + path, err);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return errno_error("remove stale " + path, errno);
    log_info("removed the stale socket " + path);
    return {};
}

std::optional<gid_t> lookup_group(const std::string& name) {
    std::vector<char> buf(4096);
    group gr{};
    group* found = nullptr;
    if (getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found) != 0 || !found)
        return std::nullopt;
    return found->gr_gid;
}

bool run_groupadd(const std::string& name) {
    pid_t pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
        ::execlp("groupadd", "groupadd", "--system", name.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

gid_t socket_group(const std::string& name) {
    if (auto gid = lookup_group(name)) return *gid;
    if (run_groupadd(name)) {
        if (auto gid = lookup_group(name)) {
            log_info("created the system group " + name);
            return *gid;
        }
    }
    log_warn("group " + name +
             " does not exist and could not be created; the socket is root's only");
    return 0;
}

// The socket usually sits in the exec-root, which is 0700: the group needs to pass through it
// (and only pass: 0710) to reach the socket.
Result<void> open_folder_to_group(const std::string& path, gid_t gid) {
    auto slash = path.rfind('/');
    std::string folder = slash == 0 ? "/" : path.substr(0, slash);
    struct stat st {};
    if (gid == 0 || ::stat(folder.c_str(), &st) != 0 || st.st_uid != 0) return {};
    if ((st.st_mode & 0011) != 0) return {};
    if (::chown(folder.c_str(), 0, gid) != 0) return errno_error("chown " + folder, errno);
    if (::chmod(folder.c_str(), (st.st_mode & 07777) | 0010) != 0)
        return errno_error("chmod " + folder, errno);
    return {};
}

}  // namespace

Result<int> open_unix_listener(const std::string& path, mode_t mode, const std::string& group) {
    auto addr = socket_address(path);
    if (!addr) return addr.error();
    if (auto ok = remove_stale_socket(path, *addr); !ok) return ok.error();
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno_error("socket", errno);
    // Bound as 0600 and only then opened to the group, so no one slips in before the chown.
    mode_t old = ::umask(0177);
    int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof *addr);
    int err = errno;
    ::umask(old);
    if (rc != 0) {
        ::close(fd);
        return errno_error("bind " + path, err);
    }
    gid_t gid = socket_group(group);
    if (auto ok = open_folder_to_group(path, gid); !ok) {
        ::close(fd);
        ::unlink(path.c_str());
        return ok.error();
    }
    if (::chown(path.c_str(), 0, gid) != 0 || ::chmod(path.c_str(), mode) != 0 ||
        ::listen(fd, SOMAXCONN) != 0) {
        err = errno;
        ::close(fd);
        ::unlink(path.c_str());
        return errno_error("set up " + path, err);
    }
    return fd;
}

Result<PeerCredentials> peer_credentials(int fd) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return errno_error("SO_PEERCRED", errno);
    return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

bool peer_hung_up(int fd) {
    pollfd p{fd, POLLRDHUP, 0};
    if (::poll(&p, 1, 0) < 0) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

Result<std::vector<int>> receive_fds(int fd, std::size_t count, int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    char byte = 0;
    iovec iov{&byte, 1};
    std::vector<char> control(CMSG_SPACE(sizeof(int) * count));
    for (;;) {
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        ssize_t n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        if (n == 0) return Error("receive stdio: the client closed the connection");
        if (n > 0) {
            std::vector<int> fds;
            for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
                std::size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                const int* data = reinterpret_cast<const int*>(CMSG_DATA(c));
                fds.insert(fds.end(), data, data + k);
            }
            if (byte == 'F' && fds.size() == count && !(msg.msg_flags & MSG_CTRUNC)) return fds;
            for (int f : fds) ::close(f);
            return Error("receive stdio: expected the byte F with " + std::to_string(count) +
                         " fds");
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return errno_error("receive stdio", errno);
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return Error("receive stdio: no fds within " + std::to_string(timeout_ms) + " ms");
        pollfd p{fd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(left.count()));
    }
}

}  // namespace berth::daemon
