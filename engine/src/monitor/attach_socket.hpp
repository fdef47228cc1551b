// The attach socket of berth-monitor (<root>/<id>/attach.sock): whatever a client writes goes to
// the container's stdin (the pipe, or the pty master with --tty). Several clients may connect;
// their bytes are forwarded in the order they arrive.
#pragma once

#include <poll.h>

#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::engine::monitor {

class AttachServer {
  public:
    AttachServer() = default;
    ~AttachServer();
    AttachServer(const AttachServer&) = delete;
    AttachServer& operator=(const AttachServer&) = delete;

    // Binds path (a stale socket from an earlier run is replaced), mode 0600: only root attaches.
    Result<void> listen(const std::string& path, int stdin_fd);
    // Adds the descriptors to wait on; handle() takes the same array back after poll().
    void add_pollfds(std::vector<pollfd>& fds) const;
    void handle(const std::vector<pollfd>& fds);
    void close_all();
    // The stdin fd was closed by its owner (the pty master at hang-up): input is discarded now.
    void forget_stdin() {
        stdin_fd_ = -1;
        pending_.clear();
    }

  private:
    static constexpr std::size_t kMaxClients = 16;
    static constexpr std::size_t kMaxPending = 1 << 20;
    void accept_client();
    void read_client(std::size_t index);
    void flush_pending();

    std::string path_;
    int listen_fd_ = -1;
    int stdin_fd_ = -1;  // non-blocking; never closed here (the monitor owns it)
    std::vector<int> clients_;
    // Input the container has not read yet. While it is not empty no client is read, so a
    // container that never reads stdin holds back its writers instead of growing this buffer.
    std::string pending_;
};

}  // namespace berth::engine::monitor
