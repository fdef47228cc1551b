// Attach socket: unix stream listener whose clients' bytes feed the container's stdin.
#include "attach_socket.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace berth::engine::monitor {

AttachServer::~AttachServer() {
    close_all();
}

namespace {

// sun_path holds 107 bytes; a deep state root (a build tree, a long container id) needs more. The
// socket is then bound through an fd of its folder, /proc/self/fd/N/attach.sock, which the kernel
// resolves to the same place.
Result<std::string> bindable_path(const std::string& path, int& dir_fd) {
    dir_fd = -1;
    if (path.size() < sizeof(sockaddr_un{}.sun_path)) return path;
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    dir_fd = open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return errno_error("open " + dir, errno);
    std::string shorter = "/proc/self/fd/" + std::to_string(dir_fd) + "/" + path.substr(slash + 1);
    if (shorter.size() >= sizeof(sockaddr_un{}.sun_path)) {
        return Error("attach socket name too long: " + path);
    }
    return shorter;
}

}  // namespace

Result<void> AttachServer::listen(const std::string& path, int stdin_fd) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    int dir_fd = -1;
    auto bind_path = bindable_path(path, dir_fd);
    if (!bind_path) return bind_path.error();
    std::memcpy(addr.sun_path, bind_path->c_str(), bind_path->size() + 1);
    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_fd_ < 0) return errno_error("socket", errno);
    unlink(path.c_str());
    // The umask makes the socket 0600 from the start, so there is no window of a wider mode.
    mode_t old = umask(0177);
    int rc = bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    umask(old);
    int bind_errno = errno;
    if (dir_fd >= 0) close(dir_fd);
    if (rc < 0) return errno_error("bind " + path, bind_errno);
    if (::listen(listen_fd_, 8) < 0) return errno_error("listen " + path, errno);
    path_ = path;
    stdin_fd_ = stdin_fd;
    return {};
}

void AttachServer::add_pollfds(std::vector<pollfd>& fds) const {
    if (listen_fd_ < 0) return;
    fds.push_back({listen_fd_, POLLIN, 0});
    fds.push_back({pending_.empty() ? -1 : stdin_fd_, POLLOUT, 0});
    for (int c : clients_) fds.push_back({c, static_cast<short>(pending_.empty() ? POLLIN : 0), 0});
}

void AttachServer::handle(const std::vector<pollfd>& fds) {
    if (listen_fd_ < 0) return;
    std::size_t at = 0;
    while (at < fds.size() && fds[at].fd != listen_fd_) ++at;
    if (at + 2 + clients_.size() > fds.size()) return;
    if (fds[at + 1].revents & (POLLOUT | POLLERR)) flush_pending();
    // Walk backwards: read_client may remove the client it reads.
    for (std::size_t i = clients_.size(); i-- > 0;) {
        if (fds[at + 2 + i].revents & (POLLIN | POLLHUP | POLLERR)) read_client(i);
    }
    if (fds[at].revents & POLLIN) accept_client();
}

void AttachServer::accept_client() {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    if (clients_.size() >= kMaxClients) {
        close(fd);
        return;
    }
    clients_.push_back(fd);
}

void AttachServer::read_client(std::size_t index) {
    char buf[16384];
    ssize_t n = read(clients_[index], buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
        close(clients_[index]);
        clients_.erase(clients_.begin() + static_cast<long>(index));
        return;
    }
    if (stdin_fd_ < 0) return;  // the container's stdin is gone: discard
    pending_.append(buf, static_cast<std::size_t>(n));
    flush_pending();
}

void AttachServer::flush_pending() {
    while (!pending_.empty() && stdin_fd_ >= 0) {
        ssize_t n = write(stdin_fd_, pending_.data(), pending_.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n < 0) {
            pending_.clear();  // EPIPE: nobody reads the container's stdin any more
            return;
        }
        pending_.erase(0, static_cast<std::size_t>(n));
    }
    if (pending_.size() > kMaxPending) pending_.clear();
}

void AttachServer::close_all() {
    for (int c : clients_) close(c);
    clients_.clear();
    if (listen_fd_ >= 0) {
        close(listen_fd_);
        unlink(path_.c_str());
        listen_fd_ = -1;
    }
}

}  // namespace berth::engine::monitor
