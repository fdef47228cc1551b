#include "engine/userns.hpp"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

namespace berth::engine {
namespace {

Result<void> write_proc(pid_t pid, const char* name, const std::string& text) {
    const std::string path = "/proc/" + std::to_string(pid) + "/" + name;
    int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno_error("open " + path, errno);
    ssize_t n = write(fd, text.data(), text.size());
    int saved = errno;
    close(fd);
    if (n != static_cast<ssize_t>(text.size())) {
        return errno_error("write " + path, n < 0 ? saved : EIO);
    }
    return {};
}

}  // namespace

Result<std::string> format_id_map(const std::vector<IdMapping>& map) {
    if (map.empty()) return Error("an id map needs at least one range");
    std::string out;
    for (const auto& m : map) {
        const std::uint64_t limit = std::uint64_t{1} << 32;
        if (m.size == 0 || m.container_id + std::uint64_t{m.size} > limit ||
            m.host_id + std::uint64_t{m.size} > limit) {
            return Error("invalid id map range " + std::to_string(m.container_id) + ":" +
                         std::to_string(m.host_id) + ":" + std::to_string(m.size));
        }
        out += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
               std::to_string(m.size) + "\n";
    }
    return out;
}

bool id_mapped(const std::vector<IdMapping>& map, std::uint32_t id) {
    for (const auto& m : map) {
        if (id >= m.container_id && std::uint64_t{id} < std::uint64_t{m.container_id} + m.size) {
            return true;
        }
    }
    return false;
}

Result<void> write_id_maps(pid_t pid, const std::vector<IdMapping>& uid_map,
                           const std::vector<IdMapping>& gid_map, bool deny_setgroups) {
    auto uids = format_id_map(uid_map);
    if (!uids) return uids.error().context("uid map");
    auto gids = format_id_map(gid_map);
    if (!gids) return gids.error().context("gid map");
    // CVE-2014-8989: an unprivileged writer must deny setgroups before it may write gid_map.
    if (deny_setgroups) {
        auto r = write_proc(pid, "setgroups", "deny");
        if (!r) return r;
    }
    auto r = write_proc(pid, "uid_map", *uids);
    if (!r) return r;
    return write_proc(pid, "gid_map", *gids);
}

}  // namespace berth::engine
