// The vfs driver: layers copied one over the other, bottom first, applying whiteouts the way
// overlayfs would have shown them (0:0 char device = deleted, opaque dir = lower contents gone).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "fs_util.hpp"
#include "images/images.hpp"

namespace berth::images {
namespace {

constexpr int kFlags = ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                       ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_UNLINK |
                       ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT;

bool is_opaque(archive_entry* e) {
    const char* name;
    const void* value;
    size_t size;
    archive_entry_xattr_reset(e);
    bool opaque = false;
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
        opaque = opaque || (std::strcmp(name, "trusted.overlay.opaque") == 0 && size == 1 &&
                            *static_cast<const char*>(value) == 'y');
    }
    return opaque;
}

Result<void> copy_data(archive* r, archive* w) {
    const void* buf;
    size_t size;
    la_int64_t off;
    int rc;
    while ((rc = archive_read_data_block(r, &buf, &size, &off)) == ARCHIVE_OK) {
        if (archive_write_data_block(w, buf, size, off) < ARCHIVE_WARN)
            return Error(archive_error_string(w));
    }
    if (rc != ARCHIVE_EOF) return Error(archive_error_string(r));
    return {};
}

// One entry; DEST is the cwd. Returns false for entries that are consumed (whiteouts).
Result<void> copy_entry(archive* r, archive* w, archive_entry* e, const std::string& rel,
                        const std::string& dest) {
    if (archive_entry_filetype(e) == AE_IFCHR && archive_entry_rdev(e) == 0) {
        return fsx::remove_tree(dest + "/" + rel);
    }
    if (archive_entry_filetype(e) == AE_IFDIR && is_opaque(e)) {
        if (auto ok = fsx::remove_tree(dest + "/" + rel); !ok) return ok;
    }
    archive_entry_xattr_clear(e);  // only overlay's own markers would matter, and they are applied
    archive_entry_set_pathname(e, rel.c_str());
    if (archive_write_header(w, e) < ARCHIVE_WARN) return Error(archive_error_string(w));
    if (archive_entry_filetype(e) == AE_IFREG && archive_entry_hardlink(e) == nullptr) {
        if (auto ok = copy_data(r, w); !ok) return ok;
    }
    if (archive_write_finish_entry(w) < ARCHIVE_WARN) return Error(archive_error_string(w));
    return {};
}

Result<void> copy_layer(const std::string& diff, const std::string& dest, archive* w) {
    std::unique_ptr<archive, decltype(&archive_read_free)> r(archive_read_disk_new(),
                                                             archive_read_free);
    archive_read_disk_set_symlink_physical(r.get());
    if (archive_read_disk_open(r.get(), diff.c_str()) != ARCHIVE_OK) {
        return Error("open " + diff + ": " + archive_error_string(r.get()));
    }
    std::unique_ptr<archive_entry_linkresolver, decltype(&archive_entry_linkresolver_free)> links(
        archive_entry_linkresolver_new(), archive_entry_linkresolver_free);
    archive_entry_linkresolver_set_strategy(links.get(), ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
    archive_entry* e = archive_entry_new();
    int rc;
    Result<void> result;
    while (result && (rc = archive_read_next_header2(r.get(), e)) == ARCHIVE_OK) {
        archive_read_disk_descend(r.get());
        std::string path = archive_entry_pathname(e);
        std::string rel = path.size() > diff.size() ? path.substr(diff.size() + 1) : "";
        if (rel.empty()) continue;
        archive_entry_set_pathname(e, rel.c_str());
        archive_entry* spare = nullptr;
        archive_entry* cur = e;
        archive_entry_linkify(links.get(), &cur, &spare);
        if (cur != nullptr) result = copy_entry(r.get(), w, cur, rel, dest);
        if (!result) result.error().context(diff + "/" + rel);
    }
    archive_entry_free(e);
    return result;
}

}  // namespace

Result<void> copy_layers(const std::vector<std::string>& diffs, const std::string& dest) {
    std::unique_ptr<archive, decltype(&archive_write_free)> w(archive_write_disk_new(),
                                                              archive_write_free);
    archive_write_disk_set_options(w.get(), kFlags);
    int cwd = ::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (::chdir(dest.c_str()) != 0) {
        ::close(cwd);
        return errno_error("chdir " + dest, errno);
    }
    Result<void> ok;
    for (const auto& d : diffs) {
        ok = copy_layer(d, dest, w.get());
        if (!ok) break;
    }
    if (ok && archive_write_close(w.get()) < ARCHIVE_WARN)
        ok = Error(archive_error_string(w.get()));
    if (::fchdir(cwd) != 0) ok = errno_error("fchdir", errno);
    ::close(cwd);
    return ok;
}

}  // namespace berth::images
