// The syscall side of berthd's local socket: the listening socket with its owner and mode, and
// the per-connection calls Asio has no words for (peer credentials, fd passing, hang-up polling).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.hpp"
#include "daemon/http.hpp"

namespace berth::daemon {

// A listening socket at path, mode `mode`, owned by root:<group>. A leftover socket file is
// removed only when nothing answers on it; a live daemon there is an error. The group is created
// (groupadd --system) when missing, and root's group is used if that fails.
Result<int> open_unix_listener(const std::string& path, mode_t mode, const std::string& group);

Result<PeerCredentials> peer_credentials(int fd);

// True when the peer has closed or reset its end; reads nothing.
bool peer_hung_up(int fd);

// One byte with an SCM_RIGHTS message of exactly `count` fds (docs/api.md, stdio passing),
// waiting at most timeout_ms. The fds come back close-on-exec.
Result<std::vector<int>> receive_fds(int fd, std::size_t count, int timeout_ms);

}  // namespace berth::daemon
