#include "images/store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "common/fs.hpp"
#include "fs_util.hpp"
#include "images/digest.hpp"

namespace berth::images {

Result<Store> Store::open(const StoreOptions& opts) {
    if (opts.storage_driver != "overlay2" && opts.storage_driver != "vfs") {
        return Error("unknown storage driver \"" + opts.storage_driver +
                     "\" (use overlay2 or vfs)");
    }
    Store s;
    s.opts_ = opts;
    // Layer dirs must stay reachable for a container's root in a user namespace (a mapped uid),
    // so the path down to them is searchable; the rest of the store is root's alone.
    for (const auto& [d, mode] : {std::pair{opts.data_root + "/overlay", 0711u},
                                  {s.images_dir() + "/blobs/sha256", 0700u},
                                  {s.images_dir() + "/tmp", 0700u},
                                  {s.images_dir() + "/locks", 0700u},
                                  {opts.data_root + "/overlay/.locks", 0700u}}) {
        if (auto r = fsx::mkdirs(d, mode); !r) return r.error().context("open image store");
    }
    return s;
}

std::string Store::blob_path(const std::string& digest) const {
    return images_dir() + "/blobs/sha256/" + digest_hex(digest);
}

bool Store::has_blob(const std::string& digest) const {
    return valid_digest(digest) && fsx::exists(blob_path(digest));
}

Result<std::string> Store::read_blob(const std::string& digest) const {
    if (!valid_digest(digest)) return Error("invalid digest " + digest);
    auto r = read_file(blob_path(digest));
    if (!r) return Error("blob " + digest + " is missing from the store");
    return r;
}

Result<void> Store::commit_blob(const std::string& file, const std::string& expected) {
    if (!valid_digest(expected)) return Error("invalid digest \"" + expected + "\"");
    auto got = file_digest(file);
    if (!got) return got.error();
    if (*got != expected) {
        return Error("digest mismatch: expected " + expected + ", content is " + *got);
    }
    // Blobs are immutable and named by content: two writers renaming the same bytes over one
    // another leave one correct file, so no lock is needed here.
    if (::rename(file.c_str(), blob_path(expected).c_str()) != 0) {
        return errno_error("store blob " + expected, errno);
    }
    return {};
}

Result<std::string> Store::put_blob(const std::string& data) {
    std::string d = sha256_digest(data);
    if (has_blob(d)) return d;
    // Staged in tmp/, never in blobs/: a crash must not leave a file there that is not a blob.
    std::string tmp =
        images_dir() + "/tmp/blob-" + digest_hex(d) + "-" + std::to_string(::getpid());
    if (auto r = fsx::write_atomic(tmp, data); !r) return r.error();
    if (::rename(tmp.c_str(), blob_path(d).c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return errno_error("store blob " + d, err);
    }
    return d;
}

std::string Store::layer_dir(const std::string& chain_id) const {
    return opts_.data_root + "/overlay/" + digest_hex(chain_id);
}

bool Store::has_layer(const std::string& chain_id) const {
    return fsx::exists(layer_dir(chain_id) + "/size");
}

Result<std::string> Store::new_ingest_dir() const {
    return fsx::make_temp_dir(images_dir() + "/tmp/ingest");
}

std::string Store::lock_path(const std::string& name) const {
    return images_dir() + "/locks/" + name + ".lock";
}

Result<Refs> Store::read_refs() const {
    std::string path = images_dir() + "/repositories.json";
    if (!fsx::exists(path)) return Refs{};
    auto text = read_file(path);
    if (!text) return text.error();
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded()) return Error(path + ": not valid JSON");
    Refs r;
    r.tags = j.value("refs", std::map<std::string, std::string>{});
    r.untagged = j.value("untagged", std::vector<std::string>{});
    return r;
}

Result<void> Store::write_refs(const Refs& r) {
    nlohmann::json j = {{"refs", r.tags}, {"untagged", r.untagged}};
    return fsx::write_atomic(images_dir() + "/repositories.json", j.dump(2) + "\n");
}

Result<void> Store::lock_refs_and(const std::function<void(Refs&)>& f) {
    auto lock = fsx::Lock::take(lock_path("refs"), true);
    if (!lock) return lock.error();
    auto refs = read_refs();
    if (!refs) return refs.error();
    f(*refs);
    return write_refs(*refs);
}

}  // namespace berth::images
