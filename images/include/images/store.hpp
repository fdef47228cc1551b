// The image store under <data-root>:
//
//   images/blobs/sha256/<hex>     content-addressed blobs (manifests, configs, layer tars)
//   images/repositories.json      references -> manifest digests, plus untagged manifests
//   images/tmp/                   ingest dirs; nothing here is ever read as content
//   images/locks/                 flock files: gc.lock (shared by writers, exclusive for gc), refs
//   overlay/<chain-hex>/diff      each layer unpacked once; the dir appears by rename, complete
//   overlay/<chain-hex>/size      its unpacked size in bytes
//
// Writes land in temp files or dirs and are renamed into place; the reference is written last,
// so an interrupted import leaves only unreferenced content, which `prune` removes.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "images/manifest.hpp"

namespace berth::images {

struct StoreOptions {
    std::string data_root = "/var/lib/berth";
    std::string storage_driver = "overlay2";  // or "vfs": plain copies, no overlayfs needed
};

struct Refs {
    std::map<std::string, std::string> tags;  // "docker.io/library/busybox:latest" -> manifest
    std::vector<std::string> untagged;        // manifests loaded without a name
};

class Store {
  public:
    static Result<Store> open(const StoreOptions& opts);

    const StoreOptions& options() const { return opts_; }
    std::string images_dir() const { return opts_.data_root + "/images"; }
    std::string blob_path(const std::string& digest) const;
    bool has_blob(const std::string& digest) const;
    Result<std::string> read_blob(const std::string& digest) const;
    // Verifies FILE's sha256 against EXPECTED and renames it into the store.
    Result<void> commit_blob(const std::string& file, const std::string& expected);
    // Stores DATA; returns its digest.
    Result<std::string> put_blob(const std::string& data);

    std::string layer_dir(const std::string& chain_id) const;
    std::string layer_diff(const std::string& chain_id) const {
        return layer_dir(chain_id) + "/diff";
    }
    bool has_layer(const std::string& chain_id) const;

    Result<std::string> new_ingest_dir() const;
    std::string lock_path(const std::string& name) const;

    Result<Refs> read_refs() const;
    // Read-modify-write of repositories.json under its lock.
    template <typename F>
    Result<void> update_refs(F&& f);

  private:
    Result<void> write_refs(const Refs& r);
    Result<void> lock_refs_and(const std::function<void(Refs&)>& f);
    StoreOptions opts_;
};

template <typename F>
Result<void> Store::update_refs(F&& f) {
    return lock_refs_and(std::function<void(Refs&)>(std::forward<F>(f)));
}

}  // namespace berth::images
