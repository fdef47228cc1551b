#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/fs.hpp"
#include "images/digest.hpp"
#include "images/images.hpp"
#include "images/reference.hpp"

namespace berth::images {
namespace {

using nlohmann::json;

Result<ImageInfo> load_info(const Store& store, const std::string& manifest_digest) {
    auto text = store.read_blob(manifest_digest);
    if (!text) return text.error();
    auto m = parse_manifest(*text);
    if (!m) return m.error().context("manifest " + manifest_digest);
    auto cfg = store.read_blob(m->config.digest);
    if (!cfg) return cfg.error();
    auto diff_ids = config_diff_ids(*cfg);
    if (!diff_ids) return diff_ids.error();
    ImageInfo info;
    info.manifest_digest = manifest_digest;
    info.id = m->config.digest;
    info.manifest = *m;
    info.chain_ids = chain_ids(*diff_ids);
    info.created = json::parse(*cfg, nullptr, false).value("created", "");
    for (const auto& c : info.chain_ids) {
        auto s = read_file(store.layer_dir(c) + "/size");
        if (s) info.size += std::stoull("0" + s->substr(0, s->find('\n')));
    }
    return info;
}

}  // namespace

Result<std::vector<ImageInfo>> list_images(const Store& store) {
    auto refs = store.read_refs();
    if (!refs) return refs.error();
    std::map<std::string, std::vector<std::string>> by_manifest;
    for (const auto& [name, digest] : refs->tags) by_manifest[digest].push_back(name);
    for (const auto& d : refs->untagged) by_manifest.try_emplace(d);
    std::vector<ImageInfo> out;
    for (const auto& [digest, names] : by_manifest) {
        auto info = load_info(store, digest);
        if (!info) return info.error();
        info->names = names;
        std::sort(info->names.begin(), info->names.end());
        out.push_back(std::move(*info));
    }
    return out;
}

Result<ImageInfo> find_image(const Store& store, const std::string& name) {
    auto all = list_images(store);
    if (!all) return all.error();
    if (looks_like_id(name)) {
        std::string hex = name.rfind("sha256:", 0) == 0 ? name.substr(7) : name;
        for (const auto& i : *all) {
            if (digest_hex(i.id).rfind(hex, 0) == 0) return i;
        }
    }
    auto ref = parse_reference(name);
    if (!ref) return ref.error();
    for (const auto& i : *all) {
        if (!ref->digest.empty() && ref->tag.empty()) {
            if (i.manifest_digest == ref->digest &&
                std::any_of(i.names.begin(), i.names.end(), [&](const std::string& n) {
                    return n.rfind(ref->name() + ":", 0) == 0;
                })) {
                return i;
            }
        } else if (std::count(i.names.begin(), i.names.end(), ref->str())) {
            return i;
        }
    }
    return Error("No such image: " + name);
}

Result<ImageConfig> image_config(const Store& store, const ImageInfo& image) {
    auto cfg = store.read_blob(image.id);
    if (!cfg) return cfg.error();
    return parse_image_config(*cfg);
}

Result<std::string> inspect_image(const Store& store, const std::string& name) {
    auto info = find_image(store, name);
    if (!info) return info.error();
    auto cfg_text = store.read_blob(info->id);
    if (!cfg_text) return cfg_text.error();
    json cfg = json::parse(*cfg_text, nullptr, false);
    json tags = json::array(), digests = json::array();
    for (const auto& n : info->names) {
        auto r = parse_reference(n);
        if (!r) continue;
        tags.push_back(r->familiar());
        digests.push_back(r->familiar_name() + "@" + info->manifest_digest);
    }
    json layers = json::array(), lowers = json::array();
    for (const auto& l : info->manifest.layers) layers.push_back(l.digest);
    for (auto it = info->chain_ids.rbegin(); it != info->chain_ids.rend(); ++it) {
        lowers.push_back(store.layer_diff(*it));
    }
    json out = {{"Id", info->id},
                {"RepoTags", tags},
                {"RepoDigests", digests},
                {"Created", info->created},
                {"Architecture", cfg.value("architecture", "")},
                {"Os", cfg.value("os", "")},
                {"Size", info->size},
                {"Config", cfg.value("config", json::object())},
                {"RootFS", cfg.value("rootfs", json::object())},
                {"Manifest", {{"Digest", info->manifest_digest}, {"Layers", layers}}},
                {"GraphDriver",
                 {{"Name", store.options().storage_driver}, {"Data", {{"LowerDirs", lowers}}}}}};
    return json::array({out}).dump(4);
}

Result<void> tag_image(Store& store, const std::string& src, const std::string& dst) {
    auto info = find_image(store, src);
    if (!info) return info.error();
    auto ref = parse_reference(dst);
    if (!ref) return ref.error();
    if (!ref->digest.empty()) return Error("refusing to create a tag with a digest reference");
    std::string digest = info->manifest_digest;
    return store.update_refs([&](Refs& r) {
        r.tags[ref->str()] = digest;
        std::erase(r.untagged, digest);
    });
}

}  // namespace berth::images
