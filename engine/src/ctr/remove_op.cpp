// rm: the container's processes, cgroup, mounts and folder; every step is tried and every
// failure reported.
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "ctr.hpp"

namespace berth::engine::ctr {
namespace {

// Mount points at or below any of prefixes, deepest first, from our mountinfo (field 5).
std::vector<std::string> mounts_below(const std::vector<std::string>& prefixes) {
    std::vector<std::string> out;
    auto info = read_text_file("/proc/self/mountinfo");
    if (!info) return out;
    std::size_t pos = 0;
    while (pos < info->size()) {
        auto nl = info->find('\n', pos);
        std::string line = info->substr(pos, nl == std::string::npos ? nl : nl - pos);
        pos = nl == std::string::npos ? info->size() : nl + 1;
        std::size_t at = 0;
        for (int field = 0; field < 4 && at != std::string::npos; ++field)
            at = line.find(' ', at + 1);
        if (at == std::string::npos) continue;
        std::string target = line.substr(at + 1, line.find(' ', at + 1) - at - 1);
        for (const auto& p : prefixes) {
            if (!p.empty() && (target == p || target.rfind(p + "/", 0) == 0)) out.push_back(target);
        }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return out;
}

int remove_entry(const char* path, const struct stat*, int, FTW*) {
    return ::remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

void kill_and_wait(const Container& c) {
    int pidfd = open_monitor_pidfd(c);
    (void)signal_pid1(c, SIGKILL);
    if (auto cg = open_cgroup(c); cg) (void)(*cg)->thaw();
    wait_monitor(pidfd, 30);
    if (pidfd >= 0) close(pidfd);
}

}  // namespace

Result<void> remove(const std::string& root, const std::string& id, bool force) {
    if (auto r = validate_id(id); !r) return r;
    FolderLock lock(root + "/" + id);
    auto c = load(root, id);
    if (!c) return c.error();
    const bool running = c->status == Status::Running || c->status == Status::Paused;
    if (running && !force) {
        return Error("container " + id + " is " + status_name(c->status) +
                     ": stop it first or use rm -f");
    }
    if (running) kill_and_wait(*c);
    std::vector<std::string> errors;
    if (c->state && !c->state->cgroup.empty()) {
        auto mgr = detect_cgroups();
        if (mgr) {
            if (auto cg = (*mgr)->open(id); cg) {
                if (auto r = (*cg)->destroy(); !r) errors.push_back(r.error().message());
            }
        }
    }
    // The rootfs is mounted in the container's own mount namespace and went with it; a mount
    // left on the host (a bind under the folder, a merged dir mounted by hand) is detached here.
    for (const auto& m : mounts_below({c->paths.dir, c->options.spec.merged_dir})) {
        if (umount2(m.c_str(), MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT) {
            errors.push_back(errno_error("unmount " + m, errno).message());
        }
    }
    if (nftw(c->paths.dir.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT) {
        errors.push_back(errno_error("remove " + c->paths.dir, errno).message());
    }
    if (errors.empty()) return {};
    std::string msg = "remove " + id;
    for (const auto& e : errors) msg += (msg.size() > 10 + id.size() ? "; " : ": ") + e;
    return Error(msg);
}

}  // namespace berth::engine::ctr
