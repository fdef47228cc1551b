#include "scheduler/volume_specs.hpp"

#include "volumes/volume.hpp"

namespace berth::scheduler {

namespace {

using compose::Node;

std::map<std::string, std::string> string_map(const Node* n) {
    std::map<std::string, std::string> out;
    if (!n || !n->is_map()) return out;
    for (const auto& e : n->entries) out[e.key] = e.value.text;
    return out;
}

Result<VolumeSpec> spec_of(const std::string& key, const Node& v) {
    VolumeSpec s;
    s.key = key;
    const Node* name = v.find("name");
    s.name = name && name->is_scalar() ? name->text : "";
    if (s.name.empty()) return Error("volume \"" + key + "\" has no name in the model");
    if (auto ok = volumes::check_name(s.name); !ok)
        return ok.error().context("volume \"" + key + "\"");
    const Node* external = v.find("external");
    s.external = external && external->as_bool().value_or(false);
    if (s.external) return s;  // it exists already; nothing of it is berth's to set
    const Node* driver = v.find("driver");
    if (driver && driver->is_scalar() && !driver->text.empty()) s.driver = driver->text;
    if (auto ok = volumes::check_driver(s.name, s.driver); !ok) return ok.error();
    s.driver_opts = string_map(v.find("driver_opts"));
    if (auto ok = volumes::parse_local_options(s.name, s.driver_opts); !ok) return ok.error();
    s.labels = string_map(v.find("labels"));
    return s;
}

}  // namespace

Result<std::vector<VolumeSpec>> volume_specs(const compose::Project& project) {
    std::vector<VolumeSpec> out;
    const Node* vols = project.model.find("volumes");
    if (!vols || !vols->is_map()) return out;
    for (const auto& e : vols->entries) {
        auto s = spec_of(e.key, e.value);
        if (!s) return s.error();
        out.push_back(std::move(*s));
    }
    return out;
}

}  // namespace berth::scheduler
