// The file side of `cp` (archive_routes.cpp): a path inside a container's root as a tar, and a
// tar extracted into one, given an fd of that root. berthd runs as host root, so every lookup
// stays inside the root whatever the container's symlinks say (the docker cp CVE-2018-15664 /
// CVE-2019-14271 class): the requested path is resolved with openat2(RESOLVE_IN_ROOT |
// RESOLVE_NO_MAGICLINKS), and from there on every file is reached one component at a time
// relative to a directory fd, never following a symlink.
#pragma once

#include <unistd.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace berth::daemon {

class Fd {
  public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    bool ok() const { return fd_ >= 0; }

  private:
    int fd_;
};

// An error with the HTTP status it is answered with.
struct CpError {
    int status;
    std::string message;
};
template <typename T>
using CpResult = std::variant<T, CpError>;

// The largest archive sent back in one reply: the reply is built in memory.
constexpr std::size_t kMaxArchiveReplyBytes = std::size_t{1} << 30;

// PATH (inside root_fd) as a tar whose top entry is named after PATH's last component; a symlink
// there is archived as the symlink. name: the container's, for messages.
CpResult<std::string> archive_path(int root_fd, const std::string& path, const std::string& name);

// Extracts tar into PATH when it is a folder; when PATH does not exist but its parent does, the
// tar's single top entry becomes PATH. Owners are the tar's numeric ids; modes are kept.
CpResult<void*> extract_archive(int root_fd, const std::string& path, const std::string& tar,
                                const std::string& name);

// An entry's name as components: absolute names and ".." are refused, "." dropped.
CpResult<std::vector<std::string>> entry_components(const std::string& entry);

}  // namespace berth::daemon
