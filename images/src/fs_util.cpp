#include "fs_util.hpp"

#include <fcntl.h>
#include <ftw.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

namespace berth::images::fsx {

Lock& Lock::operator=(Lock&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.fd_;
        o.fd_ = -1;
    }
    return *this;
}

Lock::~Lock() {
    if (fd_ >= 0) ::close(fd_);
}

Result<Lock> Lock::take(const std::string& path, bool exclusive) {
    Lock l;
    l.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (l.fd_ < 0) return errno_error("open lock " + path, errno);
    while (::flock(l.fd_, exclusive ? LOCK_EX : LOCK_SH) != 0) {
        if (errno != EINTR) return errno_error("lock " + path, errno);
    }
    return l;
}

Result<void> mkdirs(const std::string& path, unsigned mode) {
    std::string cur;
    size_t pos = 0;
    while (pos != std::string::npos) {
        pos = path.find('/', pos + 1);
        cur = path.substr(0, pos);
        if (cur.empty()) continue;
        if (::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST) {
            return errno_error("mkdir " + cur, errno);
        }
    }
    return {};
}

Result<void> write_atomic(const std::string& path, const std::string& data) {
    std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return errno_error("create " + tmp, errno);
    size_t off = 0;
    while (off < data.size()) {
        ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return errno_error("write " + tmp, err);
        }
        off += size_t(n);
    }
    ::fsync(fd);
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return errno_error("rename " + tmp, err);
    }
    return {};
}

Result<std::string> make_temp_dir(const std::string& prefix) {
    std::string t = prefix + "-XXXXXX";
    std::vector<char> buf(t.begin(), t.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) return errno_error("mkdtemp " + t, errno);
    return std::string(buf.data());
}

namespace {
int remove_one(const char* p, const struct stat*, int type, struct FTW*) {
    int rc = type == FTW_DP ? ::rmdir(p) : ::unlink(p);
    return rc != 0 && errno != ENOENT ? errno : 0;
}
uint64_t g_size;
int add_size(const char*, const struct stat* st, int type, struct FTW*) {
    if (type == FTW_F) g_size += uint64_t(st->st_size);
    return 0;
}
}  // namespace

Result<void> remove_tree(const std::string& path) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) return {};
    int rc = ::nftw(path.c_str(), remove_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    if (rc != 0) return errno_error("remove " + path, rc > 0 ? rc : errno);
    return {};
}

bool exists(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

Result<uint64_t> tree_size(const std::string& path) {
    g_size = 0;
    if (::nftw(path.c_str(), add_size, 32, FTW_PHYS | FTW_MOUNT) != 0) {
        return errno_error("walk " + path, errno);
    }
    return g_size;
}

}  // namespace berth::images::fsx
