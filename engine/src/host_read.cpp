#include "host_read.hpp"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/capabilities.hpp"

namespace berth::engine::detail {
namespace {

constexpr off_t kMaxImageFile = 4 << 20;

std::optional<std::string> read_small(const char* path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
}

Result<std::string> read_fd(int fd, const std::string& what) {
    struct stat st {};
    if (fstat(fd, &st) < 0) return errno_error("stat " + what, errno);
    if (!S_ISREG(st.st_mode)) return Error(what + " is not a regular file");
    if (st.st_size > kMaxImageFile) return Error(what + " is larger than 4 MiB");
    std::string out(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < out.size()) {
        ssize_t n = read(fd, out.data() + got, out.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno_error("read " + what, errno);
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    out.resize(got);
    return out;
}

// Opens rel inside layer with O_PATH. -1 with errno when missing.
int open_in_layer(const std::string& layer, const char* rel) {
    int dir = open(layer.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return -1;
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    int fd = static_cast<int>(syscall(SYS_openat2, dir, rel, &how, sizeof how));
    int saved = errno;
    close(dir);
    errno = saved;
    return fd;
}

}  // namespace

Result<std::optional<std::string>> read_image_file(const std::vector<std::string>& layers,
                                                   const char* rel) {
    for (const auto& layer : layers) {
        const std::string what = layer + "/" + rel;
        int path_fd = open_in_layer(layer, rel);
        if (path_fd < 0 && (errno == ENOENT || errno == ENOTDIR)) continue;
        if (path_fd < 0) return errno_error("open " + what, errno);
        struct stat st {};
        fstat(path_fd, &st);
        // An overlay whiteout (char 0:0) in an upper layer deletes the file of the layers below.
        if (S_ISCHR(st.st_mode) && st.st_rdev == 0) {
            close(path_fd);
            return std::optional<std::string>();
        }
        const std::string proc = "/proc/self/fd/" + std::to_string(path_fd);
        int fd = S_ISREG(st.st_mode) ? open(proc.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY) : -1;
        int saved = errno;
        close(path_fd);
        if (!S_ISREG(st.st_mode)) return Error(what + " is not a regular file");
        if (fd < 0) return errno_error("open " + what, saved);
        auto text = read_fd(fd, what);
        close(fd);
        if (!text) return text.error();
        return std::optional<std::string>(std::move(*text));
    }
    return std::optional<std::string>();
}

int read_cap_last_cap() {
    auto text = read_small("/proc/sys/kernel/cap_last_cap");
    if (!text) return kLastKnownCap;
    try {
        return std::stoi(*text);
    } catch (...) {
        return kLastKnownCap;
    }
}

std::uint64_t current_hard_limit(int resource) {
    rlimit lim{};
    if (getrlimit(static_cast<__rlimit_resource>(resource), &lim) < 0) return RLIM_INFINITY;
    return lim.rlim_max;
}

int current_oom_score_adj() {
    auto text = read_small("/proc/self/oom_score_adj");
    if (!text) return 0;
    try {
        return std::stoi(*text);
    } catch (...) {
        return 0;
    }
}

ArgEnvArea own_arg_env_area() {
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    std::string text(4096, '\0');
    ssize_t n = read(fd, text.data(), text.size());
    close(fd);
    if (n <= 0) return {};
    text.resize(static_cast<std::size_t>(n));
    // Fields after the parenthesised comm start at field 3; arg_start..env_end are 48..51.
    std::size_t pos = text.rfind(')');
    if (pos == std::string::npos) return {};
    std::vector<std::string> fields;
    std::size_t start = pos + 2;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        fields.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    if (fields.size() < 49) return {};
    try {
        return {std::stoull(fields[45]), std::stoull(fields[46]), std::stoull(fields[47]),
                std::stoull(fields[48])};
    } catch (...) {
        return {};
    }
}

std::uint64_t permitted_caps() {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &hdr, data) < 0) return 0;
    return data[0].permitted | (std::uint64_t{data[1].permitted} << 32);
}

bool have_cap(int cap) {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &hdr, data) < 0) return false;
    return (data[cap / 32].effective >> (cap % 32)) & 1U;
}

}  // namespace berth::engine::detail
