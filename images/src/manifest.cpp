#include "images/manifest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "images/digest.hpp"

namespace berth::images {
namespace {

using nlohmann::json;

bool one_of(const std::string& t, std::initializer_list<const char*> types) {
    for (const char* x : types) {
        if (t == x) return true;
    }
    return false;
}

Result<Descriptor> descriptor(const json& j, const std::string& what) {
    if (!j.is_object() || !j.contains("digest") || !j["digest"].is_string()) {
        return Error(what + ": descriptor without a digest");
    }
    Descriptor d;
    d.media_type = j.value("mediaType", "");
    d.digest = j["digest"].get<std::string>();
    d.size = j.value("size", int64_t(0));
    if (!valid_digest(d.digest)) return Error(what + ": invalid digest " + d.digest);
    return d;
}

json to_json(const Descriptor& d) {
    return {{"mediaType", d.media_type}, {"digest", d.digest}, {"size", d.size}};
}

}  // namespace

bool is_layer_type(const std::string& t) {
    return one_of(t, {media::kOciLayer, media::kOciLayerGzip, media::kOciLayerZstd,
                      "application/vnd.oci.image.layer.nondistributable.v1.tar",
                      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
                      "application/vnd.docker.image.rootfs.diff.tar",
                      "application/vnd.docker.image.rootfs.diff.tar.gzip",
                      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"});
}
bool is_config_type(const std::string& t) {
    return one_of(t, {media::kOciConfig, media::kDockerConfig});
}
bool is_manifest_type(const std::string& t) {
    return one_of(t, {media::kOciManifest, media::kDockerManifest});
}
bool is_index_type(const std::string& t) {
    return one_of(t, {media::kOciIndex, media::kDockerList});
}

Result<Manifest> parse_manifest(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error("manifest is not a JSON object");
    Manifest m;
    m.media_type = j.value("mediaType", media::kOciManifest);
    if (!is_manifest_type(m.media_type)) {
        return Error("unknown manifest media type \"" + m.media_type + "\"");
    }
    auto cfg = descriptor(j.value("config", json()), "manifest config");
    if (!cfg) return cfg.error();
    if (!is_config_type(cfg->media_type)) {
        return Error("config " + cfg->digest + ": unknown media type \"" + cfg->media_type + "\"");
    }
    m.config = *cfg;
    for (const auto& l : j.value("layers", json::array())) {
        auto d = descriptor(l, "manifest layer");
        if (!d) return d.error();
        if (!is_layer_type(d->media_type)) {
            return Error("layer " + d->digest + ": unknown media type \"" + d->media_type + "\"");
        }
        m.layers.push_back(*d);
    }
    return m;
}

std::string manifest_json(const Manifest& m) {
    json layers = json::array();
    for (const auto& l : m.layers) layers.push_back(to_json(l));
    json j = {{"schemaVersion", 2},
              {"mediaType", m.media_type.empty() ? media::kOciManifest : m.media_type},
              {"config", to_json(m.config)},
              {"layers", layers}};
    return j.dump();
}

Result<std::vector<IndexEntry>> parse_index(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error("index is not a JSON object");
    std::vector<IndexEntry> out;
    for (const auto& mj : j.value("manifests", json::array())) {
        auto d = descriptor(mj, "index entry");
        if (!d) return d.error();
        IndexEntry e{*d, "", ""};
        json ann = mj.value("annotations", json::object());
        e.name = ann.value("io.containerd.image.name",
                           ann.value("org.opencontainers.image.ref.name", ""));
        if (mj.contains("platform") && mj["platform"].is_object()) {
            e.platform =
                mj["platform"].value("os", "") + "/" + mj["platform"].value("architecture", "");
        }
        out.push_back(e);
    }
    return out;
}

const char* sniff_layer_type(const std::string& path) {
    unsigned char b[4] = {0, 0, 0, 0};
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (::read(fd, b, 4) < 0) b[0] = 0;
        ::close(fd);
    }
    if (b[0] == 0x1f && b[1] == 0x8b) return media::kOciLayerGzip;
    if (b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) return media::kOciLayerZstd;
    return media::kOciLayer;
}

Result<std::vector<std::string>> config_diff_ids(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error("image config is not a JSON object");
    std::vector<std::string> out;
    json ids = j.value("rootfs", json::object()).value("diff_ids", json::array());
    for (const auto& id : ids) {
        if (!id.is_string() || !valid_digest(id.get<std::string>())) {
            return Error("image config: invalid diff_id " + id.dump());
        }
        out.push_back(id.get<std::string>());
    }
    return out;
}

}  // namespace berth::images
