#include "cgroup_fs.hpp"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "common/fs.hpp"
#include "common/strings.hpp"

namespace berth::engine::cgroup {
namespace {

std::vector<std::string> sub_dirs(const std::string& dir) {
    std::vector<std::string> out;
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return out;
    while (dirent* e = readdir(d)) {
        const std::string name = e->d_name;
        if (name == "." || name == ".." || e->d_type != DT_DIR) continue;
        out.push_back(dir + "/" + name);
    }
    closedir(d);
    return out;
}

bool on_cgroupfs(const std::string& dir) {
    struct statfs s {};
    if (statfs(dir.c_str(), &s) < 0) return false;
    return s.f_type == CGROUP_SUPER_MAGIC || s.f_type == CGROUP2_SUPER_MAGIC;
}

// The kernel drops a cgroup's interface files with the directory. A fake cgroupfs (the unit
// tests' temp folder) holds real files instead; only there are they unlinked first.
int remove_dir(const std::string& dir) {
    if (rmdir(dir.c_str()) == 0) return 0;
    if (errno != ENOTEMPTY || on_cgroupfs(dir)) return errno;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d)) {
            if (e->d_type == DT_REG) unlinkat(dirfd(d), e->d_name, 0);
        }
        closedir(d);
    }
    return rmdir(dir.c_str()) == 0 ? 0 : errno;
}

std::optional<std::uint64_t> to_u64(std::string_view s) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

void collect_procs(const std::string& dir, std::vector<pid_t>& out, Errors& errors) {
    auto text = read_file(dir + "/cgroup.procs");
    if (!text) {
        if (text.error().errnum() != ENOENT) errors.add(text.error());
        return;
    }
    for (const auto& word : split_words(*text)) {
        if (auto pid = to_u64(word)) out.push_back(static_cast<pid_t>(*pid));
    }
    for (const auto& sub : sub_dirs(dir)) collect_procs(sub, out, errors);
}

}  // namespace

Result<void> Errors::result(const std::string& context) const {
    if (errors_.empty()) return {};
    std::string all;
    for (const auto& e : errors_) all += (all.empty() ? "" : "; ") + e.message();
    return Error(context.empty() ? all : context + ": " + all, errors_.front().errnum());
}

bool exists(const std::string& path) {
    return access(path.c_str(), F_OK) == 0;
}

Result<void> write_file(const std::string& path, const std::string& value) {
    int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return errno_error("write \"" + value + "\" to " + path, errno);
    // One write: cgroupfs parses each write() as a whole value.
    ssize_t n = write(fd, value.data(), value.size());
    int err = errno;
    close(fd);
    if (n < 0) return errno_error("write \"" + value + "\" to " + path, err);
    if (static_cast<std::size_t>(n) != value.size()) {
        return Error("write \"" + value + "\" to " + path + ": short write");
    }
    return {};
}

Result<std::string> read_trimmed(const std::string& path) {
    auto text = read_file(path);
    if (!text) return text;
    while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
    return text;
}

Result<std::uint64_t> read_u64(const std::string& path) {
    auto text = read_trimmed(path);
    if (!text) return text.error();
    auto v = to_u64(*text);
    if (!v) return Error("read " + path + ": not a number: \"" + *text + "\"");
    return *v;
}

Result<std::optional<std::uint64_t>> read_key(const std::string& path, const std::string& key) {
    auto text = read_file(path);
    if (!text) return text.error();
    auto words = split_words(*text);
    for (std::size_t i = 0; i + 1 < words.size(); i += 2) {
        if (words[i] == key) return to_u64(words[i + 1]);
    }
    return std::optional<std::uint64_t>();
}

Result<std::vector<pid_t>> read_procs(const std::string& dir) {
    std::vector<pid_t> pids;
    Errors errors;
    collect_procs(dir, pids, errors);
    if (auto r = errors.result("list processes of " + dir); !r) return r.error();
    std::sort(pids.begin(), pids.end());
    pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
    return pids;
}

Result<std::string> device_number(const std::string& device) {
    const auto colon = device.find(':');
    if (colon != std::string::npos && to_u64(device.substr(0, colon)) &&
        to_u64(device.substr(colon + 1))) {
        return device;
    }
    struct stat st {};
    if (stat(device.c_str(), &st) < 0) return errno_error("block device " + device, errno);
    if (!S_ISBLK(st.st_mode)) return Error("block device " + device + ": not a block device");
    return std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev));
}

Result<void> make_dir(const std::string& path) {
    if (mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) return {};
    return errno_error("create cgroup " + path, errno);
}

Result<void> kill_all(const std::string& dir, std::chrono::milliseconds deadline) {
    if (!exists(dir)) return {};
    Result<void> unreadable;
    const bool empty = poll_until(
        [&] {
            auto pids = read_procs(dir);
            if (!pids) {
                unreadable = pids.error();
                return true;  // waiting will not make it readable
            }
            for (pid_t pid : *pids) kill(pid, SIGKILL);
            return pids->empty();
        },
        deadline);
    if (!unreadable) return unreadable;
    if (empty) return {};
    return Error("kill processes of " + dir + ": still running after " +
                 std::to_string(deadline.count()) + " ms");
}

Result<void> remove_tree(const std::string& dir) {
    if (!exists(dir)) return {};
    Errors errors;
    for (const auto& sub : sub_dirs(dir)) errors.add(remove_tree(sub));
    if (int err = remove_dir(dir); err != 0 && err != ENOENT) {
        errors.add(errno_error("remove cgroup " + dir, err));
    }
    return errors.result("");
}

}  // namespace berth::engine::cgroup
