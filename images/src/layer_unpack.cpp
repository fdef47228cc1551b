#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <vector>

#include "images/digest.hpp"
#include "images/entry_path.hpp"
#include "images/layer.hpp"

namespace berth::images {
namespace {

using ReadPtr = std::unique_ptr<archive, decltype(&archive_read_free)>;
using WritePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;

// Owner, modes, times and xattrs as stored; never through a symlink, never "..", never absolute
// (libarchive re-checks what clean_entry_path already refused, as a second line of defence).
constexpr int kExtractFlags = ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                              ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_UNLINK |
                              ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                              ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS;

Result<ReadPtr> open_read(const std::string& in, bool raw) {
    ReadPtr a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    if (raw) {
        archive_read_support_format_raw(a.get());
    } else {
        archive_read_support_format_tar(a.get());
        archive_read_support_format_gnutar(a.get());
        archive_read_support_format_empty(a.get());
    }
    int rc = in == "-" ? archive_read_open_fd(a.get(), 0, 1 << 16)
                       : archive_read_open_filename(a.get(), in.c_str(), 1 << 16);
    if (rc != ARCHIVE_OK) return Error("open " + in + ": " + archive_error_string(a.get()));
    return a;
}

// Restores the process cwd: libarchive resolves entry and hard-link names against it.
struct CwdGuard {
    int fd = ::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    ~CwdGuard() {
        if (fd >= 0 && ::fchdir(fd) == 0) ::close(fd);
    }
};

// overlayfs reads its own trusted.overlay.* xattrs (opaque, redirect, metacopy) from the layer
// dirs; a layer must not smuggle them in, only the whiteout translation may set them.
void drop_overlay_xattrs(archive_entry* e) {
    std::vector<std::pair<std::string, std::string>> keep;
    const char* name;
    const void* value;
    size_t size;
    archive_entry_xattr_reset(e);
    bool dropped = false;
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
        if (std::strncmp(name, "trusted.overlay.", 16) == 0) {
            dropped = true;
        } else {
            keep.emplace_back(name, std::string(static_cast<const char*>(value), size));
        }
    }
    if (!dropped) return;
    archive_entry_xattr_clear(e);
    for (const auto& [k, v] : keep) archive_entry_xattr_add_entry(e, k.c_str(), v.data(), v.size());
}

struct Unpacker {
    archive* r;
    archive* w;
    int root_fd;
    std::set<std::string> symlinks;
    std::vector<std::string> opaque;
    uint64_t bytes = 0;

    Result<void> entry(archive_entry* e);
    Result<void> write(archive_entry* e, const std::string& name);
    Result<void> mark_opaque(const std::string& dir);
};

Result<void> Unpacker::write(archive_entry* e, const std::string& name) {
    int rc = archive_write_header(w, e);
    if (rc < ARCHIVE_WARN) return Error(archive_error_string(w));
    if (archive_entry_size(e) > 0 && archive_entry_hardlink(e) == nullptr) {
        const void* buf;
        size_t size;
        la_int64_t off;
        while ((rc = archive_read_data_block(r, &buf, &size, &off)) == ARCHIVE_OK) {
            if (archive_write_data_block(w, buf, size, off) < ARCHIVE_WARN) {
                return Error(archive_error_string(w));
            }
        }
        if (rc != ARCHIVE_EOF) return Error(std::string("read: ") + archive_error_string(r));
        bytes += uint64_t(archive_entry_size(e));
    }
    if (archive_write_finish_entry(w) < ARCHIVE_WARN) return Error(archive_error_string(w));
    (void)name;
    return {};
}

// A path whose parent is a symlink this layer made would be written wherever the link points
// (CVE-2018-15664-style escapes); libarchive would silently replace the link, Docker refuses.
Result<void> check_parents(const std::set<std::string>& symlinks, const std::string& path) {
    for (auto slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        if (symlinks.count(path.substr(0, slash))) {
            return Error("path goes through symlink " + path.substr(0, slash));
        }
    }
    return {};
}

Result<void> Unpacker::entry(archive_entry* e) {
    const char* raw = archive_entry_pathname(e);
    auto clean = clean_entry_path(raw ? raw : "");
    if (!clean) return clean.error();
    if (auto ok = check_parents(symlinks, *clean); !ok) return ok;
    if (clean->empty()) return {};  // the layer root: the diff dir itself
    auto cls = classify_entry(*clean);
    if (!cls) return cls.error();
    if (cls->kind == EntryKind::kAufsMeta) return {};
    if (cls->kind == EntryKind::kOpaque) {
        opaque.push_back(cls->path);
        return {};
    }
    if (const char* link = archive_entry_hardlink(e)) {
        auto target = clean_entry_path(link);
        if (!target)
            return Error("hard link target " + std::string(link) + ": " + target.error().message());
        // A hard link to a symlink would let a later write follow it outside the layer.
        if (symlinks.count(*target)) return Error("hard link to symlink " + *target);
        if (auto ok = check_parents(symlinks, *target); !ok) return ok;
        archive_entry_set_hardlink(e, target->c_str());
    }
    drop_overlay_xattrs(e);
    if (cls->kind == EntryKind::kWhiteout) {
        archive_entry_clear(e);
        archive_entry_set_filetype(e, AE_IFCHR);
        archive_entry_set_perm(e, 0);
        archive_entry_set_rdev(e, 0);
    }
    archive_entry_set_pathname(e, cls->path.c_str());
    if (archive_entry_filetype(e) == AE_IFLNK) {
        symlinks.insert(cls->path);
    } else {
        symlinks.erase(cls->path);
    }
    return write(e, cls->path);
}

// The opaque marker can come before or after its directory's own entry, so the xattr is set at
// the end, on the directory opened beneath the root without following any symlink.
Result<void> Unpacker::mark_opaque(const std::string& dir) {
    struct open_how how = {};
    how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    std::string path = dir.empty() ? "." : dir;
    int fd = int(::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
    if (fd < 0 && errno == ENOENT) {
        archive_entry* d = archive_entry_new();
        archive_entry_set_pathname(d, path.c_str());
        archive_entry_set_filetype(d, AE_IFDIR);
        archive_entry_set_perm(d, 0755);
        auto made = write(d, path);
        archive_entry_free(d);
        if (!made) return made;
        fd = int(::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
    }
    if (fd < 0) return errno_error("open opaque directory", errno);
    int rc = ::fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0);
    int err = errno;
    ::close(fd);
    if (rc != 0) return errno_error("set trusted.overlay.opaque", err);
    return {};
}

}  // namespace

Result<Decompressed> decompress(const std::string& in, const std::string& out) {
    auto a = open_read(in, true);
    if (!a) return a.error();
    archive_entry* e;
    if (archive_read_next_header(a->get(), &e) != ARCHIVE_OK) {
        return Error("read " + in + ": " + archive_error_string(a->get()));
    }
    int fd = -1;
    if (!out.empty()) {
        fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) return errno_error("create " + out, errno);
    }
    Sha256 h;
    Decompressed d;
    char buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(a->get(), buf, sizeof buf)) > 0) {
        h.update(buf, size_t(n));
        d.size += uint64_t(n);
        if (fd >= 0 && ::write(fd, buf, size_t(n)) != n) {
            ::close(fd);
            return errno_error("write " + out, errno);
        }
    }
    if (fd >= 0) ::close(fd);
    if (n < 0) return Error("decompress " + in + ": " + archive_error_string(a->get()));
    d.digest = h.digest();
    return d;
}

Result<uint64_t> unpack_layer(const std::string& blob, const std::string& dest) {
    auto r = open_read(blob, false);
    if (!r) return r.error();
    WritePtr w(archive_write_disk_new(), archive_write_free);
    archive_write_disk_set_options(w.get(), kExtractFlags);
    CwdGuard cwd;
    if (::chdir(dest.c_str()) != 0) return errno_error("chdir " + dest, errno);
    Unpacker u{r->get(), w.get(), ::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), {}, {}, 0};
    std::unique_ptr<int, void (*)(int*)> root_guard(&u.root_fd, [](int* fd) { ::close(*fd); });
    archive_entry* e;
    int rc;
    while ((rc = archive_read_next_header(r->get(), &e)) == ARCHIVE_OK) {
        std::string name = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
        if (auto ok = u.entry(e); !ok) return ok.error().context("entry \"" + name + "\"");
    }
    if (rc != ARCHIVE_EOF)
        return Error(std::string("read layer: ") + archive_error_string(r->get()));
    for (const auto& dir : u.opaque) {
        if (auto ok = u.mark_opaque(dir); !ok) {
            return ok.error().context("entry \"" + dir + "/.wh..wh..opq\"");
        }
    }
    // Directory modes and times are fixed up at close, after their contents were written.
    if (archive_write_close(w.get()) < ARCHIVE_WARN) return Error(archive_error_string(w.get()));
    return u.bytes;
}

}  // namespace berth::images
