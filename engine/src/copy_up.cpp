#include "copy_up.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace berth::engine::detail {

namespace {

// Keeps errno across close().
void close_keep(int fd) {
    int saved = errno;
    close(fd);
    errno = saved;
}

bool copy_bytes(int in, int out) {
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) return true;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, static_cast<std::size_t>(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return false;
            off += w;
        }
    }
}

// Owner, mode and times of `name` in dst from st; symlinks get only their owner and times.
bool set_meta(int dst, const char* name, const struct stat& st) {
    if (fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0) return false;
    if (!S_ISLNK(st.st_mode) && fchmodat(dst, name, st.st_mode & 07777, 0) < 0) return false;
    const timespec times[2] = {st.st_atim, st.st_mtim};
    return utimensat(dst, name, times, AT_SYMLINK_NOFOLLOW) == 0;
}

bool copy_entry(int src, int dst, const char* name, const struct stat& st);

bool copy_all(int src, int dst) {
    int listing = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (listing < 0) return false;
    DIR* d = fdopendir(listing);
    if (!d) {
        close_keep(listing);
        return false;
    }
    bool ok = true;
    errno = 0;
    while (dirent* e = readdir(d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
        struct stat st {};
        if (fstatat(src, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
            !copy_entry(src, dst, e->d_name, st)) {
            ok = false;
            break;
        }
        errno = 0;
    }
    if (ok && errno != 0) ok = false;
    int saved = errno;
    closedir(d);
    errno = saved;
    return ok;
}

bool copy_entry(int src, int dst, const char* name, const struct stat& st) {
    if (S_ISDIR(st.st_mode)) {
        if (mkdirat(dst, name, 0700) < 0) return false;
        int from = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (from < 0) return false;
        int to = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (to < 0) {
            close_keep(from);
            return false;
        }
        bool ok = copy_all(from, to);
        close_keep(from);
        close_keep(to);
        return ok && set_meta(dst, name, st);
    }
    if (S_ISREG(st.st_mode)) {
        int from = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (from < 0) return false;
        int to = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (to < 0) {
            close_keep(from);
            return false;
        }
        bool ok = copy_bytes(from, to);
        close_keep(from);
        close_keep(to);
        return ok && set_meta(dst, name, st);
    }
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlinkat(src, name, target, sizeof target - 1);
        if (n < 0) return false;
        target[n] = '\0';
        return symlinkat(target, dst, name) == 0 && set_meta(dst, name, st);
    }
    if (S_ISFIFO(st.st_mode)) return mkfifoat(dst, name, 0600) == 0 && set_meta(dst, name, st);
    return true;  // devices and sockets are not data
}

}  // namespace

bool dir_is_empty(int dir_fd, bool* empty) {
    int listing = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (listing < 0) return false;
    DIR* d = fdopendir(listing);
    if (!d) {
        close_keep(listing);
        return false;
    }
    *empty = true;
    while (dirent* e = readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
            *empty = false;
            break;
        }
    }
    closedir(d);
    return true;
}

bool copy_dir_contents(int src_dir_fd, int dst_dir_fd) {
    if (!copy_all(src_dir_fd, dst_dir_fd)) return false;
    struct stat st {};
    if (fstat(src_dir_fd, &st) < 0) return false;
    if (fchownat(dst_dir_fd, "", st.st_uid, st.st_gid, AT_EMPTY_PATH) < 0) return false;
    // fchmodat does not take AT_EMPTY_PATH; a directory opened for reading takes fchmod.
    int dir = openat(dst_dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return false;
    bool ok = fchmod(dir, st.st_mode & 07777) == 0;
    close_keep(dir);
    return ok;
}

}  // namespace berth::engine::detail
