// What the `berth image` commands do, on a Store: import, load, save, list, inspect, tag, rm,
// prune, and preparing a container's root filesystem from an image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "images/image_config.hpp"
#include "images/store.hpp"

namespace berth::images {

struct ImageInfo {
    std::vector<std::string> names;  // full references, sorted
    std::string manifest_digest;
    std::string id;  // the config digest, as Docker's image id
    std::string created;
    uint64_t size = 0;  // unpacked bytes of all layers
    Manifest manifest;
    std::vector<std::string> chain_ids;  // bottom first
};

Result<std::vector<ImageInfo>> list_images(const Store& store);
// NAME is a reference (busybox, busybox:1, x@sha256:...) or an image id (prefix of >= 12 hex).
Result<ImageInfo> find_image(const Store& store, const std::string& name);
Result<std::string> inspect_image(const Store& store, const std::string& name);
Result<ImageConfig> image_config(const Store& store, const ImageInfo& image);
Result<void> tag_image(Store& store, const std::string& src, const std::string& dst);
// Each returns the lines to print ("Untagged: ...", "Deleted: ...").
Result<std::vector<std::string>> remove_image(Store& store, const std::string& name);
Result<std::vector<std::string>> prune_images(Store& store);

// IN: a rootfs tar (any compression) or "-" for stdin. Returns the image id.
Result<std::string> import_rootfs(Store& store, const std::string& in, const std::string& name,
                                  const std::vector<std::string>& changes);
// A docker-archive (`docker save`, either layout) or an OCI image layout tar.
Result<std::vector<std::string>> load_archive(Store& store, const std::string& file);
// A docker-archive that is also an OCI image layout (index.json), like Docker 25's.
Result<void> save_archive(const Store& store, const std::vector<std::string>& names,
                          const std::string& out);

struct Snapshot {
    std::vector<std::string> lowers;  // topmost first (overlay2)
    std::string upper, work, merged;  // overlay2
    std::string rootfs;               // vfs: a private copy
};
// Prepares DIR/{upper,work,merged} (overlay2) or DIR/rootfs (vfs) for a container of NAME.
Result<Snapshot> prepare_snapshot(const Store& store, const std::string& name,
                                  const std::string& dir);
// The snapshot as the engine's rootfs options (berth-run and `berth-ctr create`): --rootfs DIR,
// or --lower DIR... --upper --work --merged.
std::vector<std::string> snapshot_options(const Snapshot& snap);

// As remove_image; FORCE removes the name even while a container holds the image (its lease
// keeps the blobs and layers until the lease goes).
Result<std::vector<std::string>> remove_image(Store& store, const std::string& name, bool force);

// A container's hold on its image: while a lease exists, `image rm` refuses the image and
// garbage collection keeps its blobs and layers. holder: the container id (folder-safe).
Result<void> add_lease(Store& store, const std::string& holder, const ImageInfo& image);
// Removing a lease that does not exist is not an error.
Result<void> remove_lease(Store& store, const std::string& holder);
// The holders of leases on the image with this id (config digest), sorted.
Result<std::vector<std::string>> lease_holders(const Store& store, const std::string& image_id);

}  // namespace berth::images
