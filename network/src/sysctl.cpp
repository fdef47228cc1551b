#include "network/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/strings.hpp"

namespace berth::network {

namespace {

Result<std::string> read_value(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_error("read " + path, errno);
    char buf[256];
    ssize_t n = ::read(fd, buf, sizeof buf);
    int err = errno;
    ::close(fd);
    if (n < 0) return errno_error("read " + path, err);
    std::string v(buf, static_cast<std::size_t>(n));
    while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
    return v;
}

}  // namespace

Result<std::string> sysctl_path(const std::string& key, const std::string& root) {
    const bool slashed = key.find('/') != std::string::npos;
    auto parts = split(key, slashed ? "/" : ".");
    std::string path = root;
    for (const auto& p : parts) {
        if (p.empty() || p == "." || p == "..") {
            return Error("invalid sysctl key \"" + key + "\"");
        }
        path += "/" + p;
    }
    return path;
}

Result<bool> set_sysctl(const std::string& key, const std::string& value, const std::string& root) {
    auto path = sysctl_path(key, root);
    if (!path) return path.error();
    auto now = read_value(*path);
    if (!now) return now.error().context("sysctl " + key);
    if (*now == value) return false;
    // O_TRUNC changes nothing in /proc/sys, and keeps a plain file (a test root) exact.
    int fd = ::open(path->c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return errno_error("set sysctl " + key + " to " + value, errno);
    ssize_t n = ::write(fd, value.data(), value.size());
    int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(value.size())) {
        return errno_error("set sysctl " + key + " to " + value, n < 0 ? err : EIO);
    }
    return true;
}

std::string conf_key(const std::string& family, const std::string& ifname,
                     const std::string& name) {
    return "net/" + family + "/conf/" + ifname + "/" + name;
}

}  // namespace berth::network
