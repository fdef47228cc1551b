// Leases: a container's hold on its image's content, so rm and prune leave its layers alone.
#include "lease.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <nlohmann/json.hpp>

#include "common/fs.hpp"
#include "fs_util.hpp"
#include "images/digest.hpp"
#include "images/images.hpp"

namespace berth::images {
namespace {

using nlohmann::json;

constexpr const char* kSuffix = ".json";

// The holder names a file, so it must be one path component and nothing else.
Result<void> check_holder(const std::string& holder) {
    bool ok =
        !holder.empty() && holder.size() <= 128 && holder[0] != '.' &&
        std::all_of(holder.begin(), holder.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
        });
    if (!ok) return Error("invalid lease holder \"" + holder + "\" (use letters, digits, - _ .)");
    return {};
}

std::string lease_path(const Store& store, const std::string& holder) {
    return leases_dir(store) + "/" + holder + kSuffix;
}

std::vector<std::string> dir_names(const std::string& dir) {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") out.push_back(n);
        }
        ::closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool is_lease_file(const std::string& name) {
    return name.size() > 5 && name.ends_with(kSuffix) && name.find(".tmp-") == std::string::npos;
}

Result<Lease> parse_lease(const std::string& path, const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    auto bad = [&](const std::string& why) {
        return Error("lease " + path + ": " + why +
                     "; remove the file if no container uses the image");
    };
    if (!j.is_object()) return bad("not a JSON object");
    Lease l;
    try {
        l.image = j.at("image").get<std::string>();
        l.manifest = j.at("manifest").get<std::string>();
        l.layers = j.at("layers").get<std::vector<std::string>>();
        l.chain_ids = j.at("chain_ids").get<std::vector<std::string>>();
    } catch (const json::exception& e) {
        return bad(e.what());
    }
    std::vector<std::string> digests = {l.image, l.manifest};
    digests.insert(digests.end(), l.layers.begin(), l.layers.end());
    digests.insert(digests.end(), l.chain_ids.begin(), l.chain_ids.end());
    for (const auto& d : digests) {
        if (!valid_digest(d)) return bad("invalid digest \"" + d + "\"");
    }
    return l;
}

std::string lease_json(const std::string& holder, const ImageInfo& image) {
    json layers = json::array();
    for (const auto& l : image.manifest.layers) layers.push_back(l.digest);
    json j = {{"holder", holder},
              {"image", image.id},
              {"manifest", image.manifest_digest},
              {"layers", layers},
              {"chain_ids", image.chain_ids}};
    return j.dump(2) + "\n";
}

// The caller found IMAGE before taking the gc lock; an rm may have collected it since.
Result<void> check_present(const Store& store, const ImageInfo& image) {
    std::vector<std::string> blobs = {image.manifest_digest, image.id};
    for (const auto& l : image.manifest.layers) blobs.push_back(l.digest);
    for (const auto& b : blobs) {
        if (!store.has_blob(b)) return Error("blob " + b + " is no longer in the store");
    }
    for (const auto& c : image.chain_ids) {
        if (!store.has_layer(c)) return Error("layer " + c + " is no longer in the store");
    }
    return {};
}

}  // namespace

std::string leases_dir(const Store& store) {
    return store.images_dir() + "/leases";
}

Result<std::vector<Lease>> read_leases(const Store& store) {
    std::vector<Lease> out;
    std::string dir = leases_dir(store);
    for (const auto& name : dir_names(dir)) {
        if (!is_lease_file(name)) continue;
        std::string path = dir + "/" + name;
        auto text = read_file(path);
        if (!text) {
            // Removed between readdir and open: that lease is gone, which is not an error.
            if (text.error().errnum() == ENOENT) continue;
            return text.error();
        }
        auto l = parse_lease(path, *text);
        if (!l) return l.error();
        // The file name is the holder: it is what remove_lease unlinks.
        l->holder = name.substr(0, name.size() - std::string(kSuffix).size());
        out.push_back(std::move(*l));
    }
    std::sort(out.begin(), out.end(),
              [](const Lease& a, const Lease& b) { return a.holder < b.holder; });
    return out;
}

std::vector<std::string> stale_lease_temps(const Store& store) {
    std::vector<std::string> out;
    for (const auto& name : dir_names(leases_dir(store))) {
        if (name.find(".tmp-") != std::string::npos) out.push_back(leases_dir(store) + "/" + name);
    }
    return out;
}

Result<void> add_lease(Store& store, const std::string& holder, const ImageInfo& image) {
    auto what = [&] { return "lease " + image.id + " for " + holder; };
    if (auto ok = check_holder(holder); !ok) return ok.error().context(what());
    // Shared, like an import: rm and prune (exclusive) see either no lease and finish before
    // this one is written, or the lease and keep the image.
    auto gc = fsx::Lock::take(store.lock_path("gc"), false);
    if (!gc) return gc.error().context(what());
    if (auto ok = check_present(store, image); !ok) return ok.error().context(what());
    if (auto ok = fsx::mkdirs(leases_dir(store), 0700); !ok) return ok.error().context(what());
    if (auto ok = fsx::write_atomic(lease_path(store, holder), lease_json(holder, image)); !ok) {
        return ok.error().context(what());
    }
    return {};
}

Result<void> remove_lease(Store& store, const std::string& holder) {
    if (auto ok = check_holder(holder); !ok) return ok.error().context("remove lease");
    auto gc = fsx::Lock::take(store.lock_path("gc"), false);
    if (!gc) return gc.error().context("remove lease of " + holder);
    std::string path = lease_path(store, holder);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return errno_error("remove lease " + path, errno);
    }
    return {};
}

Result<std::vector<std::string>> lease_holders(const Store& store, const std::string& image_id) {
    std::string id = image_id.rfind("sha256:", 0) == 0 ? image_id : "sha256:" + image_id;
    auto leases = read_leases(store);
    if (!leases) return leases.error();
    std::vector<std::string> out;
    for (const auto& l : *leases) {
        if (l.image == id) out.push_back(l.holder);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace berth::images
