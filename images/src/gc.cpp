// Removing images and collecting what no reference reaches any more.
#include <dirent.h>

#include <algorithm>
#include <set>

#include "fs_util.hpp"
#include "images/digest.hpp"
#include "images/images.hpp"
#include "images/reference.hpp"

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

// Everything reachable from the references: blobs by hex, layers by chain hex.
Result<std::pair<std::set<std::string>, std::set<std::string>>> reachable(const Store& store) {
    auto images = list_images(store);
    if (!images) return images.error();
    std::set<std::string> blobs, layers;
    for (const auto& i : *images) {
        blobs.insert(digest_hex(i.manifest_digest));
        blobs.insert(digest_hex(i.id));
        for (const auto& l : i.manifest.layers) blobs.insert(digest_hex(l.digest));
        for (const auto& c : i.chain_ids) layers.insert(digest_hex(c));
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
    if (!errors.empty()) {
        // Collect every failure, not just the first: the rest of the store is still cleaned.
        std::string msg;
        for (const auto& e : errors) msg += (msg.empty() ? "" : "; ") + e.message();
        return Error("prune: " + msg);
    }
    return out;
}

}  // namespace

Result<std::vector<std::string>> remove_image(Store& store, const std::string& name) {
    auto gc = fsx::Lock::take(store.lock_path("gc"), true);
    if (!gc) return gc.error();
    auto info = find_image(store, name);
    if (!info) return info.error();
    std::vector<std::string> untag;
    std::string hex = name.rfind("sha256:", 0) == 0 ? name.substr(7) : name;
    if (looks_like_id(name) && digest_hex(info->id).rfind(hex, 0) == 0) {
        untag = info->names;  // by id: every name of the image goes
    } else {
        auto ref = parse_reference(name);
        if (ref && !(ref->digest.size() && ref->tag.empty())) {
            untag.push_back(ref->str());
        } else {
            untag = info->names;
        }
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
    auto ok = store.update_refs([](Refs& r) { r.untagged.clear(); });
    if (!ok) return ok.error();
    return collect(store);
}

}  // namespace berth::images
