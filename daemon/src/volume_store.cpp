#include "volume_store.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "container_ops.hpp"
#include "log.hpp"
#include "scheduler/volume_specs.hpp"
#include "volumes/local_mount.hpp"
#include "volumes/volume.hpp"

namespace berth::daemon {

namespace fs = std::filesystem;

std::string volumes_root(const DaemonContext& ctx) {
    return ctx.cfg.data_root + "/volumes";
}

Result<VolumeRecord> create_volume(DaemonContext& ctx, VolumeRecord v, bool exist_ok) {
    if (auto ok = volumes::check_name(v.name); !ok) return ok.error();
    if (auto ok = volumes::check_driver(v.name, v.driver); !ok) return ok.error();
    auto local = volumes::parse_local_options(v.name, v.options);
    if (!local) return local.error();
    auto existing = ctx.db->volume(v.name);
    if (!existing) return existing.error();
    if (*existing) {
        if (exist_ok) return **existing;
        return Error("volume \"" + v.name + "\" already exists");
    }
    const std::string dir = volumes::volume_dir(volumes_root(ctx), v.name);
    const std::string data = volumes::data_dir(volumes_root(ctx), v.name);
    std::error_code ec;
    fs::create_directories(volumes_root(ctx), ec);
    if (ec) return errno_error("create " + volumes_root(ctx), ec.value());
    // A folder left by a volume whose record is gone is reused as it is: its data is the user's.
    fs::create_directories(data, ec);
    if (ec) return errno_error("create " + data, ec.value());
    ::chmod(dir.c_str(), 0701);
    ::chmod(data.c_str(), 0755);
    if (*local) {
        // Mounted for as long as the volume exists, and again when berthd starts.
        if (auto r = volumes::mount_local(**local, data); !r) {
            fs::remove_all(dir, ec);
            return r.error().context("volume \"" + v.name + "\"");
        }
    }
    v.created = static_cast<std::int64_t>(::time(nullptr));
    if (auto r = ctx.db->put_volume(v); !r) {
        (void)volumes::unmount_local(data);
        fs::remove_all(dir, ec);
        return r.error();
    }
    return v;
}

Result<void> remove_volume(DaemonContext& ctx, const std::string& name) {
    auto v = ctx.db->volume(name);
    if (!v) return v.error();
    if (!*v) return Error("no such volume: " + name);
    auto users = ctx.db->volume_mounts("", name);
    if (!users) return users.error();
    if (!users->empty()) {
        std::string who = users->front().container_id;
        if (auto c = ctx.db->container(who); c && *c) who = (*c)->name;
        return Error("remove " + name + ": volume is in use - [" + who + "]");
    }
    // Unmounted first: removing the folder of a mounted filesystem would empty the device.
    const std::string data = volumes::data_dir(volumes_root(ctx), name);
    if (auto r = volumes::unmount_local(data); !r) return r.error().context("remove " + name);
    if (volumes::is_mount_point(data))
        return Error("remove " + name + ": " + data + " is still mounted");
    std::error_code ec;
    fs::remove_all(volumes::volume_dir(volumes_root(ctx), name), ec);
    if (ec) return errno_error("remove volume " + name, ec.value());
    return ctx.db->remove_volume(name);
}

void restore_volumes(DaemonContext& ctx) {
    auto all = ctx.db->volumes();
    if (!all) return log_warn(all.error().message());
    for (const auto& v : *all) {
        auto local = volumes::parse_local_options(v.name, v.options);
        if (!local || !*local) continue;
        const std::string data = volumes::data_dir(volumes_root(ctx), v.name);
        if (volumes::is_mount_point(data)) continue;
        if (auto r = volumes::mount_local(**local, data); !r) {
            log_warn("volume " + v.name + ": " + r.error().message());
        }
    }
}

Result<void> check_project_volumes(DaemonContext& ctx, const compose::Project& project) {
    auto specs = scheduler::volume_specs(project);
    if (!specs) return specs.error();
    for (const auto& s : *specs) {
        if (!s.external) continue;
        auto v = ctx.db->volume(s.name);
        if (!v) return v.error();
        if (!*v) return Error("external volume \"" + s.name + "\" not found");
    }
    return {};
}

Result<void> ensure_project_volumes(DaemonContext& ctx, const compose::Project& project,
                                    Progress* progress) {
    if (auto ok = check_project_volumes(ctx, project); !ok) return ok;
    auto specs = scheduler::volume_specs(project);
    if (!specs) return specs.error();
    for (const auto& s : *specs) {
        if (s.external) continue;
        auto v = ctx.db->volume(s.name);
        if (!v) return v.error();
        if (*v) continue;
        VolumeRecord rec;
        rec.name = s.name;
        rec.driver = s.driver;
        rec.options = s.driver_opts;
        rec.labels = s.labels;
        rec.labels["com.docker.compose.project"] = project.name;
        rec.labels["com.docker.compose.volume"] = s.key;
        rec.project = project.name;
        const std::string resource = "Volume " + s.name;
        if (progress) progress->event(resource, "Creating");
        auto made = create_volume(ctx, rec);
        if (!made) {
            if (progress) progress->event(resource, "Error", made.error().message());
            return made.error();
        }
        if (progress) progress->event(resource, "Created");
    }
    return {};
}

void remove_project_volumes(DaemonContext& ctx, const std::string& project,
                            const compose::Project* model, Progress& progress) {
    std::vector<std::string> external;
    if (model) {
        if (auto specs = scheduler::volume_specs(*model)) {
            for (const auto& s : *specs) {
                if (s.external) external.push_back(s.name);
            }
        }
    }
    auto all = ctx.db->volumes();
    if (!all) return progress.warning(all.error().message());
    for (const auto& v : *all) {
        if (v.project != project) continue;
        if (std::find(external.begin(), external.end(), v.name) != external.end()) continue;
        const std::string resource = "Volume " + v.name;
        progress.event(resource, "Removing");
        if (auto r = remove_volume(ctx, v.name); !r) {
            progress.warning(r.error().message());
            continue;
        }
        progress.event(resource, "Removed");
    }
}

Result<void> create_bind_sources(const compose::Node& service) {
    const compose::Node* list = service.find("volumes");
    if (!list || !list->is_seq()) return {};
    for (const auto& m : list->items) {
        const compose::Node* type = m.find("type");
        const compose::Node* source = m.find("source");
        const compose::Node* bind = m.find("bind");
        if (!type || type->text != "bind" || !source || !bind || !bind->is_map()) continue;
        const compose::Node* create = bind->find("create_host_path");
        if (create && !create->as_bool().value_or(true)) continue;
        std::error_code ec;
        if (fs::exists(source->text, ec)) continue;
        fs::create_directories(source->text, ec);
        if (ec) return errno_error("create the bind source " + source->text, ec.value());
    }
    return {};
}

Result<std::string> volume_folder(DaemonContext& ctx, const compose::Project& project,
                                  const std::string& source, std::vector<std::string>& made) {
    if (source.empty()) {
        VolumeRecord rec;
        rec.name = new_container_id();
        rec.project = project.name;
        rec.anonymous = true;
        rec.labels["com.docker.compose.project"] = project.name;
        rec.labels["com.docker.volume.anonymous"] = "";
        auto v = create_volume(ctx, rec);
        if (!v) return v.error();
        made.push_back(v->name);
        return volumes::data_dir(volumes_root(ctx), v->name);
    }
    auto specs = scheduler::volume_specs(project);
    if (!specs) return specs.error();
    for (const auto& s : *specs) {
        if (s.key != source) continue;
        auto v = ctx.db->volume(s.name);
        if (!v) return v.error();
        if (!*v) {
            if (s.external) return Error("external volume \"" + s.name + "\" not found");
            return Error("volume \"" + s.name + "\" does not exist; `up` makes it");
        }
        return volumes::data_dir(volumes_root(ctx), s.name);
    }
    return Error("volume \"" + source + "\" is not declared in the top-level volumes");
}

}  // namespace berth::daemon
