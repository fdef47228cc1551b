// Loading a container from its folder and deriving its status from the monitor and the files.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <mutex>

#include "engine/ctr_store.hpp"

namespace berth::engine::ctr {

const char* status_name(Status s) {
    switch (s) {
        case Status::Created:
            return "created";
        case Status::Running:
            return "running";
        case Status::Paused:
            return "paused";
        case Status::Exited:
            return "exited";
    }
    return "unknown";
}

FolderLock::FolderLock(const std::string& dir) {
    fd_ = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ >= 0) {
        while (flock(fd_, LOCK_EX) < 0 && errno == EINTR) {
        }
    }
}

FolderLock::~FolderLock() {
    if (fd_ >= 0) close(fd_);
}

Result<void> validate_id(const std::string& id) {
    auto ok_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '-';
    };
    if (id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), ok_char) ||
        !std::isalnum(static_cast<unsigned char>(id[0]))) {
        return Error("invalid container ID \"" + id +
                     "\": use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter "
                     "or digit");
    }
    return {};
}

namespace {

Status derive_status(const Container& c) {
    if (c.monitor_alive) {
        auto cg = open_cgroup(c);
        if (cg) {
            auto frozen = (*cg)->frozen();
            if (frozen && *frozen) return Status::Paused;
        }
        return Status::Running;
    }
    // A monitor that died without an exit record (kill -9 of the monitor itself) leaves an exited
    // container with exit code -1.
    if (c.exit || c.state) return Status::Exited;
    return Status::Created;
}

// The folder is opened once and its files read relative to it: `ps` reads three files of each of
// hundreds of containers, and each full path costs a walk of every component.
Result<Container> load_folder(const std::string& root, const std::string& id, bool with_options) {
    if (auto r = validate_id(id); !r) return r.error();
    Container c;
    c.id = id;
    c.paths.dir = root + "/" + id;
    int dir = ::open(c.paths.dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return Error("no such container: " + id);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{dir};
    if (!with_options) {
        if (::faccessat(dir, ContainerPaths::kConfig, F_OK, 0) != 0)
            return Error("no such container: " + id);
    } else {
        auto config = read_text_file_at(dir, ContainerPaths::kConfig);
        if (!config) return Error("no such container: " + id);
        auto args = decode_config(*config);
        if (!args) return args.error();
        auto opts = parse_create_options(*args);
        if (!opts) return opts.error().context("stored options of " + id);
        c.options = std::move(*opts);
    }
    if (auto text = read_text_file_at(dir, ContainerPaths::kState); text) {
        auto st = decode_state(*text);
        if (st) c.state = std::move(*st);
    }
    if (auto text = read_text_file_at(dir, ContainerPaths::kExit); text) {
        auto ex = decode_exit(*text);
        if (ex) c.exit = std::move(*ex);
    }
    c.monitor_alive =
        c.state && !c.exit && same_process(c.state->monitor_pid, c.state->monitor_start);
    c.status = derive_status(c);
    return c;
}

}  // namespace

Result<Container> load(const std::string& root, const std::string& id) {
    return load_folder(root, id, true);
}

Result<Container> load_status(const std::string& root, const std::string& id) {
    return load_folder(root, id, false);
}

std::vector<std::string> list_ids(const std::string& root) {
    std::vector<std::string> ids;
    DIR* d = opendir(root.c_str());
    if (!d) return ids;
    while (dirent* e = readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        if (access((root + "/" + name + "/config.json").c_str(), F_OK) == 0) ids.push_back(name);
    }
    closedir(d);
    std::sort(ids.begin(), ids.end());
    return ids;
}

Result<std::unique_ptr<Cgroup>> open_cgroup(const Container& c) {
    if (!c.state || c.state->cgroup.empty()) return Error("container " + c.id + " has no cgroup");
    // The layout under /sys/fs/cgroup does not change while a process runs, and the daemon asks
    // for every running container's freezer state on each `ps`: detect it once.
    static std::mutex mu;
    static std::unique_ptr<CgroupManager> manager;
    std::lock_guard lock(mu);
    if (!manager) {
        auto mgr = detect_cgroups();
        if (!mgr) return mgr.error();
        manager = std::move(*mgr);
    }
    return manager->open(c.id);
}

int open_monitor_pidfd(const Container& c) {
    if (!c.state || c.state->monitor_pid <= 0) return -1;
    int fd = static_cast<int>(syscall(SYS_pidfd_open, c.state->monitor_pid, 0));
    if (fd < 0) return -1;
    // Checked after opening: the pidfd now pins this exact process.
    if (!same_process(c.state->monitor_pid, c.state->monitor_start)) {
        close(fd);
        return -1;
    }
    return fd;
}

bool wait_monitor(int pidfd, double timeout_seconds) {
    if (pidfd < 0) return true;
    pollfd p{pidfd, POLLIN, 0};
    const int ms = timeout_seconds < 0 ? -1 : static_cast<int>(std::ceil(timeout_seconds * 1000));
    for (;;) {
        int n = poll(&p, 1, ms);
        if (n < 0 && errno == EINTR) continue;
        return n > 0;
    }
}

Result<void> signal_pid1(const Container& c, int sig) {
    if (!c.monitor_alive || !c.state || !same_process(c.state->pid, c.state->pid_start)) {
        return Error("container " + c.id + " is not running");
    }
    // Through a pidfd checked after opening, so the signal cannot reach a process that reused
    // the pid in between.
    int fd = static_cast<int>(syscall(SYS_pidfd_open, c.state->pid, 0));
    if (fd < 0 || !same_process(c.state->pid, c.state->pid_start)) {
        if (fd >= 0) close(fd);
        return Error("container " + c.id + " is not running");
    }
    int rc = static_cast<int>(syscall(SYS_pidfd_send_signal, fd, sig, nullptr, 0));
    int err = errno;
    close(fd);
    if (rc < 0) return errno_error("signal container " + c.id, err);
    return {};
}

}  // namespace berth::engine::ctr
