// A container's root filesystem from an image: overlay2 (the layers' diff dirs as lower dirs,
// nothing copied) or vfs (a private copy, for hosts where overlayfs cannot be mounted).
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "fs_util.hpp"
#include "images/images.hpp"
#include "images/layer.hpp"

namespace berth::images {

Result<void> copy_layers(const std::vector<std::string>& diffs, const std::string& dest);

namespace {

Result<std::string> make_dir(const std::string& path, unsigned mode) {
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
        return errno_error("mkdir " + path, errno);
    return path;
}

}  // namespace

Result<Snapshot> prepare_snapshot(const Store& store, const std::string& name,
                                  const std::string& dir) {
    auto info = find_image(store, name);
    if (!info) return info.error();
    Snapshot s;
    for (auto it = info->chain_ids.rbegin(); it != info->chain_ids.rend(); ++it) {
        if (!store.has_layer(*it)) {
            return Error("layer " + *it + " of " + name + " is not unpacked; load the image again");
        }
        s.lowers.push_back(store.layer_diff(*it));
    }
    if (auto ok = fsx::mkdirs(dir); !ok) return ok.error();
    if (store.options().storage_driver == "vfs") {
        s.rootfs = dir + "/rootfs";
        if (fsx::exists(s.rootfs)) return s;  // a restart keeps the container's files
        std::string tmp = dir + "/rootfs.tmp";
        (void)fsx::remove_tree(tmp);
        if (auto ok = make_dir(tmp, 0755); !ok) return ok.error();
        std::vector<std::string> bottom_first(s.lowers.rbegin(), s.lowers.rend());
        if (auto ok = copy_layers(bottom_first, tmp); !ok)
            return ok.error().context("copy " + name);
        if (::rename(tmp.c_str(), s.rootfs.c_str()) != 0)
            return errno_error("rename " + tmp, errno);
        s.lowers.clear();
        return s;
    }
    for (auto [field, sub] :
         {std::pair{&s.upper, "/upper"}, {&s.work, "/work"}, {&s.merged, "/merged"}}) {
        auto d = make_dir(dir + sub, 0755);
        if (!d) return d.error();
        *field = *d;
    }
    return s;
}

std::vector<std::string> snapshot_options(const Snapshot& snap) {
    std::vector<std::string> out;
    if (!snap.rootfs.empty()) out = {"--rootfs", snap.rootfs};
    for (const auto& l : snap.lowers) out.insert(out.end(), {"--lower", l});
    if (!snap.upper.empty()) {
        out.insert(out.end(),
                   {"--upper", snap.upper, "--work", snap.work, "--merged", snap.merged});
    }
    return out;
}

}  // namespace berth::images
