#include "archive_io.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include "common/result.hpp"

namespace berth::daemon {
namespace {

CpError sys_error(int status, const std::string& what, int err = errno) {
    return {status, errno_error(what, err).message()};
}

int open_in_root(int root, const std::string& path, int flags) {
    std::string rel = path;
    while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
    if (rel.empty()) rel = ".";
    open_how how{};
    how.flags = static_cast<unsigned long long>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    long fd;
    do {
        fd = syscall(SYS_openat2, root, rel.c_str(), &how, sizeof how);
    } while (fd < 0 && (errno == EAGAIN || errno == EINTR));
    return static_cast<int>(fd);
}

// "a/b/" -> {"a", "b"}; "/" -> {"/", ""}; "b" -> {"", "b"}.
std::pair<std::string, std::string> split_last(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    auto slash = p.rfind('/');
    if (slash == std::string::npos) return {"", p};
    if (p == "/") return {"/", ""};
    return {slash == 0 ? "/" : p.substr(0, slash), p.substr(slash + 1)};
}

bool is_dot_name(const std::string& base) {
    return base.empty() || base == "." || base == "..";
}

// What P names inside the root, the last component itself when it is a symlink (as docker cp).
CpResult<Fd> resolve_source(int root, const std::string& path, const std::string& name) {
    auto [dir, base] = split_last(path);
    Fd fd;
    if (is_dot_name(base)) {
        fd = Fd(open_in_root(root, path, O_PATH));
    } else {
        Fd parent(open_in_root(root, dir.empty() ? "." : dir, O_PATH | O_DIRECTORY));
        if (parent.ok())
            fd = Fd(::openat(parent.get(), base.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    }
    if (!fd.ok()) {
        int err = errno;
        return CpError{
            err == ENOENT || err == ENOTDIR ? 404 : 500,
            errno_error("no such path in container " + name + ": " + path, err).message()};
    }
    return fd;
}

// ---------------------------------------------------------------------------------------------
// Container -> tar

struct TarOut {
    archive* a = nullptr;
    std::string data;
    bool too_big = false;
};

la_ssize_t tar_append(archive*, void* ctx, const void* buf, size_t n) {
    auto* out = static_cast<TarOut*>(ctx);
    if (out->data.size() + n > kMaxArchiveReplyBytes) {
        out->too_big = true;
        return -1;
    }
    out->data.append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
}

Result<void> add_tree(TarOut& out, int fd, const std::string& name);

Result<void> add_file_data(TarOut& out, int fd, archive_entry* e, const std::string& name) {
    // Reopening our own O_PATH fd gives the very inode looked up, whatever happened since.
    std::string self = "/proc/self/fd/" + std::to_string(fd);
    Fd file(::open(self.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!file.ok()) return errno_error("open " + name, errno);
    if (archive_write_header(out.a, e) != ARCHIVE_OK)
        return Error("pack " + name + ": " + archive_error_string(out.a));
    la_int64_t left = archive_entry_size(e);
    std::vector<char> buf(1 << 16);
    while (left > 0) {
        ssize_t n = ::read(file.get(), buf.data(), std::min<std::size_t>(buf.size(), left));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno_error("read " + name, errno);
        if (n == 0) break;  // shrank meanwhile: libarchive pads the rest with zeros
        if (archive_write_data(out.a, buf.data(), static_cast<size_t>(n)) < 0)
            return Error("pack " + name + ": " + archive_error_string(out.a));
        left -= n;
    }
    return {};
}

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

Result<void> add_dir_children(TarOut& out, int fd, const std::string& name) {
    int raw = ::openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (raw < 0) return errno_error("open " + name, errno);
    DIR* d = ::fdopendir(raw);
    if (!d) {
        int err = errno;
        ::close(raw);
        return errno_error("open " + name, err);
    }
    std::unique_ptr<DIR, DirCloser> dir(d);  // owns raw from here
    std::vector<std::string> names;
    while (dirent* ent = ::readdir(d)) {
        std::string n = ent->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    for (const auto& n : names) {
        Fd child(::openat(raw, n.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
        if (!child.ok()) {
            if (errno == ENOENT) continue;  // removed while we walked
            return errno_error("open " + name + "/" + n, errno);
        }
        if (auto r = add_tree(out, child.get(), name + "/" + n); !r) return r;
    }
    return {};
}

// fd: an O_PATH|O_NOFOLLOW fd of the entry; name: its name in the tar.
Result<void> add_tree(TarOut& out, int fd, const std::string& name) {
    struct stat st {};
    if (::fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
        return errno_error("stat " + name, errno);
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(),
                                                                    archive_entry_free);
    archive_entry_copy_stat(e.get(), &st);
    archive_entry_set_pathname(e.get(), name.c_str());
    if (S_ISREG(st.st_mode)) return add_file_data(out, fd, e.get(), name);
    archive_entry_set_size(e.get(), 0);
    if (S_ISLNK(st.st_mode)) {
        std::vector<char> target(static_cast<std::size_t>(st.st_size) + 4096);
        ssize_t n = ::readlinkat(fd, "", target.data(), target.size() - 1);
        if (n < 0) return errno_error("read link " + name, errno);
        target[static_cast<std::size_t>(n)] = '\0';
        archive_entry_set_symlink(e.get(), target.data());
    }
    if (S_ISSOCK(st.st_mode)) return {};  // tar has no sockets
    if (archive_write_header(out.a, e.get()) != ARCHIVE_OK)
        return Error("pack " + name + ": " + archive_error_string(out.a));
    if (S_ISDIR(st.st_mode)) return add_dir_children(out, fd, name);
    return {};
}

CpResult<std::string> pack(int fd, const std::string& top) {
    TarOut out;
    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(),
                                                              archive_write_free);
    out.a = a.get();
    archive_write_set_format_pax_restricted(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open(a.get(), &out, nullptr, tar_append, nullptr) != ARCHIVE_OK)
        return CpError{500, std::string("pack: ") + archive_error_string(a.get())};
    auto r = add_tree(out, fd, top);
    bool closed = archive_write_close(a.get()) == ARCHIVE_OK;
    if (out.too_big) {
        return CpError{413, "the archive is larger than " +
                                std::to_string(kMaxArchiveReplyBytes >> 20) +
                                " MiB, the most berthd sends in one reply: copy less at a time"};
    }
    if (!r) return CpError{500, r.error().message()};
    if (!closed) return CpError{500, std::string("pack: ") + archive_error_string(a.get())};
    return std::move(out.data);
}

// ---------------------------------------------------------------------------------------------
// tar -> container

// The entry's path as components: no absolute names, no "..", "." dropped.
CpResult<std::vector<std::string>> components_of(const std::string& name) {
    if (name.starts_with("/")) return CpError{400, "archive entry with an absolute name: " + name};
    std::vector<std::string> parts;
    std::size_t i = 0;
    while (i <= name.size()) {
        auto j = name.find('/', i);
        if (j == std::string::npos) j = name.size();
        std::string c = name.substr(i, j - i);
        if (c == "..") return CpError{400, "archive entry with \"..\" in its name: " + name};
        if (!c.empty() && c != ".") parts.push_back(c);
        i = j + 1;
    }
    return parts;
}

// The directory that holds parts' last component, from `base`, creating missing folders and
// never following a symlink.
CpResult<Fd> walk_parent(int base, const std::vector<std::string>& parts, bool create) {
    Fd cur(::dup(base));
    for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
        const char* c = parts[k].c_str();
        Fd next(::openat(cur.get(), c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.ok() && errno == ENOENT && create) {
            if (::mkdirat(cur.get(), c, 0755) < 0 && errno != EEXIST)
                return sys_error(500, "create folder " + parts[k]);
            next = Fd(::openat(cur.get(), c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        }
        if (!next.ok()) {
            // ENOTDIR/ELOOP: a symlink or a file on the way; it is never followed.
            return sys_error(400, "open folder " + parts[k] + " (symlinks are not followed)");
        }
        cur = std::move(next);
    }
    return cur;
}

// Makes room for a new entry: anything but a folder already there goes.
Result<void> clear_name(int dir, const char* name, bool want_dir) {
    struct stat st {};
    if (::fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return {};
    if (S_ISDIR(st.st_mode)) {
        if (want_dir) return {};
        return Error(std::string("cannot overwrite folder ") + name + " with a non-folder");
    }
    if (::unlinkat(dir, name, 0) < 0) return errno_error(std::string("remove ") + name, errno);
    return {};
}

CpResult<void*> write_regular(archive* in, int dir, const char* name, archive_entry* e) {
    Fd f(::openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!f.ok()) return sys_error(500, std::string("create ") + name);
    const void* buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int rc;
    while ((rc = archive_read_data_block(in, &buf, &size, &offset)) == ARCHIVE_OK) {
        const char* p = static_cast<const char*>(buf);
        while (size > 0) {
            ssize_t n = ::pwrite(f.get(), p, size, offset);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return sys_error(500, std::string("write ") + name);
            p += n;
            size -= static_cast<size_t>(n);
            offset += n;
        }
    }
    if (rc != ARCHIVE_EOF)
        return CpError{400, std::string("read archive: ") + archive_error_string(in)};
    if (::ftruncate(f.get(), archive_entry_size(e)) < 0)
        return sys_error(500, std::string("write ") + name);
    // Owner first: chown clears the set-id bits that fchmod then puts back.
    if (::fchown(f.get(), archive_entry_uid(e), archive_entry_gid(e)) < 0 ||
        ::fchmod(f.get(), archive_entry_perm(e)) < 0)
        return sys_error(500, std::string("set owner and mode of ") + name);
    return nullptr;
}

CpResult<void*> write_dir(int dir, const char* name, archive_entry* e) {
    if (::mkdirat(dir, name, 0700) < 0 && errno != EEXIST)
        return sys_error(500, std::string("create folder ") + name);
    Fd d(::openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!d.ok()) return sys_error(500, std::string("open folder ") + name);
    if (::fchown(d.get(), archive_entry_uid(e), archive_entry_gid(e)) < 0 ||
        ::fchmod(d.get(), archive_entry_perm(e)) < 0)
        return sys_error(500, std::string("set owner and mode of ") + name);
    return nullptr;
}

CpResult<void*> write_special(int base, int dir, const char* name, archive_entry* e) {
    mode_t type = archive_entry_filetype(e);
    if (const char* hard = archive_entry_hardlink(e)) {
        auto parts = components_of(hard);
        if (auto* err = std::get_if<CpError>(&parts)) return *err;
        auto& p = std::get<0>(parts);
        if (p.empty()) return CpError{400, std::string("bad hard link target: ") + hard};
        auto tdir = walk_parent(base, p, false);
        if (auto* err = std::get_if<CpError>(&tdir)) return *err;
        // linkat without AT_SYMLINK_FOLLOW links the entry itself, never what it points to.
        if (::linkat(std::get<0>(tdir).get(), p.back().c_str(), dir, name, 0) < 0)
            return sys_error(500, std::string("link ") + name);
        return nullptr;
    }
    if (type == AE_IFLNK) {
        if (::symlinkat(archive_entry_symlink(e), dir, name) < 0)
            return sys_error(500, std::string("create symlink ") + name);
    } else if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO) {
        dev_t dev = makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
        if (::mknodat(dir, name, type | archive_entry_perm(e), dev) < 0)
            return sys_error(500, std::string("create node ") + name);
    } else {
        return CpError{400, std::string("unsupported archive entry type for ") + name};
    }
    if (::fchownat(dir, name, archive_entry_uid(e), archive_entry_gid(e), AT_SYMLINK_NOFOLLOW) < 0)
        return sys_error(500, std::string("set owner of ") + name);
    return nullptr;
}

void set_times(int dir, const char* name, archive_entry* e) {
    if (!archive_entry_mtime_is_set(e)) return;
    timespec ts[2] = {{0, UTIME_OMIT}, {archive_entry_mtime(e), archive_entry_mtime_nsec(e)}};
    ::utimensat(dir, name, ts, AT_SYMLINK_NOFOLLOW);  // best effort, as tar itself
}

CpResult<void*> extract_entry(archive* in, int base, archive_entry* e, const std::string& rename) {
    std::string path = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    auto parts_r = components_of(path);
    if (auto* err = std::get_if<CpError>(&parts_r)) return *err;
    auto& parts = std::get<0>(parts_r);
    if (parts.empty()) return nullptr;
    if (!rename.empty()) parts[0] = rename;
    auto dir_r = walk_parent(base, parts, true);
    if (auto* err = std::get_if<CpError>(&dir_r)) return *err;
    int dir = std::get<0>(dir_r).get();
    const char* name = parts.back().c_str();
    const bool is_dir = archive_entry_filetype(e) == AE_IFDIR && !archive_entry_hardlink(e);
    if (auto r = clear_name(dir, name, is_dir); !r) return CpError{409, r.error().message()};
    CpResult<void*> r = nullptr;
    if (is_dir) {
        r = write_dir(dir, name, e);
    } else if (archive_entry_filetype(e) == AE_IFREG && !archive_entry_hardlink(e)) {
        r = write_regular(in, dir, name, e);
    } else {
        r = write_special(base, dir, name, e);
    }
    if (std::holds_alternative<void*>(r)) set_times(dir, name, e);
    return r;
}

// The first component of every entry: one name, or "" when the archive has several tops.
std::string single_top(const std::string& body) {
    std::unique_ptr<archive, decltype(&archive_read_free)> in(archive_read_new(),
                                                              archive_read_free);
    archive_read_support_format_tar(in.get());
    if (archive_read_open_memory(in.get(), body.data(), body.size()) != ARCHIVE_OK) return "";
    std::string top;
    archive_entry* e = nullptr;
    while (archive_read_next_header(in.get(), &e) == ARCHIVE_OK) {
        auto parts = components_of(archive_entry_pathname(e) ? archive_entry_pathname(e) : "");
        if (!std::holds_alternative<std::vector<std::string>>(parts)) return "";
        auto& p = std::get<0>(parts);
        if (p.empty()) continue;
        if (!top.empty() && top != p[0]) return "";
        top = p[0];
    }
    return top;
}

// PUT ?path=P: into P when it is a folder; otherwise P is the new name of the archive's single
// top entry, created in P's parent folder (docker cp's rule for a destination that does not
// exist yet).
CpResult<void*> extract(int root, const std::string& path, const std::string& body,
                        const std::string& name) {
    Fd base(open_in_root(root, path, O_PATH | O_DIRECTORY));
    std::string rename;
    if (!base.ok() && errno == ENOTDIR)
        return CpError{409, "not a folder in container " + name + ": " + path};
    if (!base.ok() && errno == ENOENT) {
        auto [dir, last] = split_last(path);
        if (path.ends_with("/") || is_dot_name(last))
            return CpError{404, "no such folder in container " + name + ": " + path};
        if (single_top(body).empty())
            return CpError{400, "the archive must hold one top entry to be copied as " + path};
        rename = last;
        base = Fd(open_in_root(root, dir.empty() ? "." : dir, O_PATH | O_DIRECTORY));
    }
    if (!base.ok()) {
        int err = errno;
        return CpError{
            err == ENOENT || err == ENOTDIR ? 404 : 500,
            errno_error("no such folder in container " + name + ": " + path, err).message()};
    }
    std::unique_ptr<archive, decltype(&archive_read_free)> in(archive_read_new(),
                                                              archive_read_free);
    archive_read_support_format_tar(in.get());
    if (archive_read_open_memory(in.get(), body.data(), body.size()) != ARCHIVE_OK)
        return CpError{400, std::string("read archive: ") + archive_error_string(in.get())};
    archive_entry* e = nullptr;
    int rc;
    while ((rc = archive_read_next_header(in.get(), &e)) == ARCHIVE_OK) {
        auto r = extract_entry(in.get(), base.get(), e, rename);
        if (auto* err = std::get_if<CpError>(&r)) return *err;
    }
    if (rc != ARCHIVE_EOF)
        return CpError{400, std::string("read archive: ") + archive_error_string(in.get())};
    return nullptr;
}

}  // namespace

CpResult<std::string> archive_path(int root_fd, const std::string& path, const std::string& name) {
    auto fd = resolve_source(root_fd, path, name);
    if (auto* err = std::get_if<CpError>(&fd)) return *err;
    std::string top = split_last(path).second;
    if (top.empty()) top = ".";
    return pack(std::get<0>(fd).get(), top);
}

CpResult<void*> extract_archive(int root_fd, const std::string& path, const std::string& tar,
                                const std::string& name) {
    return extract(root_fd, path, tar, name);
}

CpResult<std::vector<std::string>> entry_components(const std::string& entry) {
    return components_of(entry);
}

}  // namespace berth::daemon
