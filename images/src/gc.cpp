// Removing images and collecting what no reference and no lease reaches any more.
#include <dirent.h>

#include <algorithm>
#include <set>

#include "fs_util.hpp"
#include "images/digest.hpp"
#include "images/images.hpp"
#include "images/reference.hpp"
#include "lease.hpp"

namespace berth::images {
namespace {

std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") out.push_back(n);
        }
        ::closedir(d);
    }
    return out;
}

// Everything reachable from the references or held by a lease: blobs by hex, layers by chain
// hex. Leases carry their own digests, so an image untagged under a container (rm -f) still
// keeps its content.
Result<std::pair<std::set<std::string>, std::set<std::string>>> reachable(const Store& store) {
    auto images = list_images(store);
    if (!images) return images.error();
    auto leases = read_leases(store);
    if (!leases) return leases.error();
    std::set<std::string> blobs, layers;
    for (const auto& i : *images) {
        blobs.insert(digest_hex(i.manifest_digest));
        blobs.insert(digest_hex(i.id));
        for (const auto& l : i.manifest.layers) blobs.insert(digest_hex(l.digest));
        for (const auto& c : i.chain_ids) layers.insert(digest_hex(c));
    }
    for (const auto& l : *leases) {
        blobs.insert(digest_hex(l.manifest));
        blobs.insert(digest_hex(l.image));
        for (const auto& d : l.layers) blobs.insert(digest_hex(d));
        for (const auto& c : l.chain_ids) layers.insert(digest_hex(c));
    }
    return std::make_pair(blobs, layers);
}

// Caller holds the gc lock exclusively: no import is running, so every temp dir is stale and
// every unreachable blob or layer is garbage.
Result<std::vector<std::string>> collect(Store& store) {
    auto live = reachable(store);
    if (!live) return live.error();
    std::vector<std::string> out;
    std::vector<Error> errors;
    auto remove = [&](const std::string& path, const std::string& line) {
        if (auto ok = fsx::remove_tree(path); !ok) {
            errors.push_back(ok.error());
        } else if (!line.empty()) {
            out.push_back(line);
        }
    };
    std::string blobs = store.images_dir() + "/blobs/sha256";
    for (const auto& hex : entries(blobs)) {
        if (!live->first.count(hex)) remove(blobs + "/" + hex, "Deleted: sha256:" + hex);
    }
    std::string overlay = store.options().data_root + "/overlay";
    for (const auto& name : entries(overlay)) {
        if (name == ".locks") continue;
        if (!live->second.count(name)) remove(overlay + "/" + name, "");
    }
    for (const auto& name : entries(store.images_dir() + "/tmp")) {
        remove(store.images_dir() + "/tmp/" + name, "");
    }
    for (const auto& path : stale_lease_temps(store)) remove(path, "");
    if (!errors.empty()) {
        // Collect every failure, not just the first: the rest of the store is still cleaned.
        std::string msg;
        for (const auto& e : errors) msg += (msg.empty() ? "" : "; ") + e.message();
        return Error("prune: " + msg);
    }
    return out;
}

std::string short_id(const std::string& id) {
    return digest_hex(id).substr(0, 12);
}

// Docker's rule: a reference may go while other names keep the image listed; the last name, or
// the image by id, may not go from under a container unless forced.
Result<void> check_in_use(const std::vector<Lease>& leases, const ImageInfo& info,
                          const std::string& name, bool by_id,
                          const std::vector<std::string>& untag) {
    if (!by_id && untag.size() < info.names.size()) return {};
    auto it = std::find_if(leases.begin(), leases.end(),
                           [&](const Lease& l) { return l.image == info.id; });
    if (it == leases.end()) return {};
    std::string holder = it->holder.substr(0, 12);  // leases come sorted by holder
    if (by_id) {
        return Error("conflict: unable to delete " + short_id(info.id) +
                     " (must be forced) - image is being used by container " + holder);
    }
    return Error("conflict: unable to remove repository reference \"" + name +
                 "\" (must force) - container " + holder + " is using its referenced image " +
                 short_id(info.id));
}

bool names_by_id(const ImageInfo& info, const std::string& name) {
    std::string hex = name.rfind("sha256:", 0) == 0 ? name.substr(7) : name;
    return looks_like_id(name) && digest_hex(info.id).rfind(hex, 0) == 0;
}

std::vector<std::string> names_to_untag(const ImageInfo& info, const std::string& name,
                                        bool by_id) {
    if (by_id) return info.names;  // by id: every name of the image goes
    auto ref = parse_reference(name);
    if (ref && !(ref->digest.size() && ref->tag.empty())) return {ref->str()};
    return info.names;
}

}  // namespace

Result<std::vector<std::string>> remove_image(Store& store, const std::string& name) {
    return remove_image(store, name, false);
}

Result<std::vector<std::string>> remove_image(Store& store, const std::string& name, bool force) {
    auto gc = fsx::Lock::take(store.lock_path("gc"), true);
    if (!gc) return gc.error();
    auto info = find_image(store, name);
    if (!info) return info.error();
    bool by_id = names_by_id(*info, name);
    std::vector<std::string> untag = names_to_untag(*info, name, by_id);
    // Read even when forced: a lease that cannot be read must stop rm before it untags anything.
    auto leases = read_leases(store);
    if (!leases) return leases.error();
    if (!force) {
        if (auto ok = check_in_use(*leases, *info, name, by_id, untag); !ok) return ok.error();
    }
    std::vector<std::string> out;
    auto ok = store.update_refs([&](Refs& r) {
        for (const auto& n : untag) {
            r.tags.erase(n);
            auto ref = parse_reference(n);
            out.push_back("Untagged: " + (ref ? ref->familiar() : n));
        }
        if (untag.empty()) std::erase(r.untagged, info->manifest_digest);
    });
    if (!ok) return ok.error();
    auto deleted = collect(store);
    if (!deleted) return deleted.error();
    out.insert(out.end(), deleted->begin(), deleted->end());
    return out;
}

Result<std::vector<std::string>> prune_images(Store& store) {
    auto gc = fsx::Lock::take(store.lock_path("gc"), true);
    if (!gc) return gc.error();
    auto leases = read_leases(store);
    if (!leases) return leases.error();
    std::set<std::string> leased;
    for (const auto& l : *leases) leased.insert(l.manifest);
    // As Docker's prune: a dangling image a container uses stays listed.
    auto ok = store.update_refs([&](Refs& r) {
        std::erase_if(r.untagged, [&](const auto& m) { return !leased.count(m); });
    });
    if (!ok) return ok.error();
    return collect(store);
}

}  // namespace berth::images
