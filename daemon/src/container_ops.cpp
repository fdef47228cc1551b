#include "container_ops.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "compose/hash.hpp"
#include "container_etc.hpp"
#include "dns_service.hpp"
#include "engine/container_state.hpp"
#include "health_monitor.hpp"
#include "images/images.hpp"
#include "log.hpp"
#include "network_manager.hpp"
#include "private_cwd.hpp"
#include "project_files.hpp"
#include "restart_manager.hpp"
#include "scheduler/container_args.hpp"
#include "scheduler/network_specs.hpp"
#include "volume_store.hpp"
#include "volumes/volume.hpp"

namespace berth::daemon {

namespace fs = std::filesystem;

int host_cpus() {
    long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<int>(n) : 1;
}

std::string new_container_id() {
    unsigned char raw[32];
    int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? ::read(fd, raw, sizeof raw) : -1;
    if (fd >= 0) ::close(fd);
    if (got != static_cast<ssize_t>(sizeof raw)) {
        // getrandom-backed /dev/urandom does not fail short on Linux; this is the fallback for a
        // container without /dev: time and address bits are unique enough for a name.
        auto t = static_cast<unsigned long long>(
            std::chrono::steady_clock::now().time_since_epoch().count());
        for (std::size_t i = 0; i < sizeof raw; ++i)
            raw[i] = static_cast<unsigned char>(t >> ((i % 8) * 8)) ^
                     static_cast<unsigned char>(i * 131);
    }
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (unsigned char b : raw) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    return id;
}

std::map<std::string, std::string> event_attributes(const ContainerRecord& c) {
    return {{"name", c.name},
            {"image", c.image},
            {"project", c.project},
            {"service", c.service},
            {"oneoff", c.oneoff ? "True" : "False"}};
}

Result<ResolvedImage> resolve_image(DaemonContext& ctx, const std::string& service,
                                    const compose::Node& node) {
    const compose::Node* image = node.find("image");
    if (!image || !image->is_scalar() || image->text.empty()) {
        return Error("service \"" + service +
                     "\" has no image; building images is not supported yet");
    }
    std::lock_guard lock(ctx.store_mu);
    auto info = images::find_image(*ctx.store, image->text);
    if (!info) {
        return Error("service \"" + service + "\": image \"" + image->text +
                     "\" is not in the local store (" + info.error().message() +
                     "); load it with \"berth image load -i FILE\" or create it with \"berth "
                     "image import\"");
    }
    auto config = images::image_config(*ctx.store, *info);
    if (!config) {
        Error e = config.error();
        return e.context("service \"" + service + "\": image \"" + image->text + "\"");
    }
    return ResolvedImage{image->text, info->id, std::move(config).value(), std::move(info).value()};
}

namespace {

bool uses_host_network(const compose::Node& service) {
    const compose::Node* mode = service.find("network_mode");
    return mode && mode->is_scalar() && mode->text == "host";
}

// The pid of PID 1 of a running container of `service` in the same project, for
// ipc/pid: "service:x".
Result<int> service_pid(DaemonContext& ctx, const std::string& project,
                        const std::string& service) {
    auto all = ctx.db->containers(project);
    if (!all) return std::move(all).error();
    for (const auto& c : *all) {
        if (c.service != service || c.oneoff) continue;
        auto st = ctx.runtime->status(c.id);
        if (st && st->state == ContainerRunState::Running) return static_cast<int>(st->pid);
    }
    return Error("service \"" + service + "\" has no running container");
}

// The container whose network namespace network_mode "service:x" or "container:x" names.
Result<ContainerRecord> netns_owner(DaemonContext& ctx, const std::string& project,
                                    const std::string& mode) {
    const bool by_service = mode.rfind("service:", 0) == 0;
    const std::string name = mode.substr(mode.find(':') + 1);
    std::optional<ContainerRecord> found;
    if (by_service) {
        auto all = ctx.db->containers(project);
        if (!all) return std::move(all).error();
        for (const auto& c : *all) {
            if (c.service == name && !c.oneoff && (!found || c.number < found->number)) found = c;
        }
        if (!found) return Error("service \"" + name + "\" has no container");
    } else {
        auto c = ctx.db->container_by_name(name);
        if (!c) return std::move(c).error();
        if (!*c) return Error("no such container: " + name);
        found = **c;
    }
    return *found;
}

// The namespace network_mode "service:x" or "container:x" names: the pinned one of berth's
// networks when that container has one (it outlives the container's restarts), else its PID 1's.
Result<std::string> shared_netns(DaemonContext& ctx, const std::string& project,
                                 const std::string& mode) {
    auto found = netns_owner(ctx, project, mode);
    if (!found) return found.error();
    if (ctx.networks) {
        std::string pinned = ctx.networks->netns_path(found->id);
        if (::access(pinned.c_str(), F_OK) == 0) return pinned;
    }
    auto st = ctx.runtime->status(found->id);
    if (st && st->state == ContainerRunState::Running) {
        return "/proc/" + std::to_string(st->pid) + "/ns/net";
    }
    return Error("container " + found->name + " is not running");
}

// volumes_from REF: the volumes the container REF names ("container:name", or a service of the
// project) mounts, recorded as the new container's too so they are not removed under it, and,
// for a service of this project, the binds its file gives it.
Result<std::vector<scheduler::ContainerContext::SharedMount>> shared_mounts(
    DaemonContext& ctx, const compose::Project& project, const std::string& ref,
    const std::string& id, std::vector<VolumeMount>& mounts) {
    const bool by_container = ref.rfind("container:", 0) == 0;
    auto owner = netns_owner(ctx, project.name, by_container ? ref : "service:" + ref);
    if (!owner) return owner.error();
    std::vector<scheduler::ContainerContext::SharedMount> out;
    auto vm = ctx.db->volume_mounts(owner->id);
    if (!vm) return vm.error();
    for (const auto& m : *vm) {
        out.push_back({volumes::data_dir(volumes_root(ctx), m.volume), m.target, false});
        mounts.push_back({id, m.volume, m.target});
    }
    const compose::Node* service = by_container ? nullptr : project.service(owner->service);
    const compose::Node* list = service ? service->find("volumes") : nullptr;
    if (list && list->is_seq()) {
        for (const auto& m : list->items) {
            const compose::Node* type = m.find("type");
            if (!type || type->text != "bind") continue;
            const compose::Node* ro = m.find("read_only");
            out.push_back({m.find("source") ? m.find("source")->text : "",
                           m.find("target") ? m.find("target")->text : "",
                           ro && ro->as_bool().value_or(false)});
        }
    }
    return out;
}

// The container whose networks give this one its resolvers: the one whose namespace it joins,
// or itself.
std::string network_owner(DaemonContext& ctx, const std::string& project,
                          const compose::Node& service, const std::string& id) {
    const compose::Node* mode = service.find("network_mode");
    if (!mode || !mode->is_scalar()) return id;
    if (mode->text.rfind("service:", 0) != 0 && mode->text.rfind("container:", 0) != 0) return id;
    auto owner = netns_owner(ctx, project, mode->text);
    return owner ? owner->id : id;
}

// The networks a service joins, as berthd's records, in interface order. `up` made them.
Result<std::vector<NetworkJoin>> joins_of(DaemonContext& ctx, const compose::Project& project,
                                          const compose::Node& service) {
    auto specs = scheduler::network_specs(project);
    if (!specs) return specs.error();
    auto attachments = scheduler::service_attachments(service);
    if (!attachments) return attachments.error();
    std::vector<NetworkJoin> out;
    for (const auto& a : *attachments) {
        auto spec = std::find_if(specs->begin(), specs->end(),
                                 [&](const network::NetworkSpec& s) { return s.key == a.network; });
        if (spec == specs->end()) return Error("network \"" + a.network + "\" is not declared");
        auto rec = ctx.networks->find(spec->name);
        if (!rec) return rec.error();
        if (!*rec) return Error("network " + spec->name + " not found");
        out.push_back({std::move(**rec), a});
    }
    return out;
}

// The namespace and interfaces of a service on networks, and its published ports.
Result<std::string> setup_network(DaemonContext& ctx, const compose::Project& project,
                                  const compose::Node& service, const std::string& id,
                                  const RunOverrides* run) {
    if (!ctx.networks) return Error("networks are not available in this daemon");
    auto joins = joins_of(ctx, project, service);
    if (!joins) return joins.error();
    auto ports = scheduler::service_ports(service);
    if (!ports) return ports.error();
    // `run` publishes the service's ports only with --service-ports, and its --publish ones.
    if (run) {
        if (!run->service_ports) ports->clear();
        auto extra = scheduler::publish_flags(run->publish);
        if (!extra) return extra.error();
        ports->insert(ports->end(), extra->begin(), extra->end());
    }
    if (auto r = ctx.networks->setup_container(id, *joins, *ports); !r) return r.error();
    return ctx.networks->netns_path(id);
}

// `anonymous` learns the anonymous volumes made for it, so a failure can take them back.
Result<ContainerRecord> make_container(DaemonContext& ctx, const compose::Project& project,
                                       const ResolvedImage& image, const NewContainer& spec,
                                       const std::string& id, std::vector<std::string>& anonymous) {
    const compose::Node* node = project.service(spec.service);
    if (!node) return Error("no such service: \"" + spec.service + "\"");
    const std::string data = ctx.container_data(id);
    images::Snapshot snap;
    if (auto r = private_cwd(); !r) return r.error();  // the vfs driver copies with chdir
    {
        std::lock_guard lock(ctx.store_mu);
        auto s = images::prepare_snapshot(*ctx.store, image.ref, data);
        if (!s) return std::move(s).error();
        snap = std::move(s).value();
        // The container's lower dirs are the image's layers: `image rm` must not take them.
        if (auto l = images::add_lease(*ctx.store, id, image.info); !l) return l.error();
    }
    scheduler::ContainerContext cc;
    cc.project = project.name;
    cc.service = spec.service;
    cc.number = spec.number;
    cc.oneoff = spec.oneoff;
    cc.container_name = spec.name;
    cc.config_hash = spec.config_hash;
    cc.image_id = image.id;
    cc.image = image.config;
    cc.rootfs_args = images::snapshot_options(snap);
    cc.state_dir = data + "/etc";
    cc.host_cpus = host_cpus();
    cc.log_defaults = ctx.log_defaults;
    cc.service_pid = [&ctx, &project](const std::string& s) {
        return service_pid(ctx, project.name, s);
    };
    cc.shared_netns = [&ctx, &project](const std::string& mode) {
        return shared_netns(ctx, project.name, mode);
    };
    cc.file_source = [&ctx, &project, &id](const std::string& kind, const std::string& source) {
        return file_source(ctx, project, id, kind, source);
    };
    std::vector<VolumeMount> mounts;
    cc.volume_source = [&](const std::string& source,
                           const std::string& target) -> Result<std::string> {
        if (auto it = spec.inherited_volumes.find(target);
            source.empty() && it != spec.inherited_volumes.end()) {
            if (auto v = ctx.db->volume(it->second); v && *v) {
                mounts.push_back({id, it->second, target});
                return volumes::data_dir(volumes_root(ctx), it->second);
            }
        }
        std::vector<std::string> made;
        auto folder = volume_folder(ctx, project, source, made);
        if (!folder) return folder;
        anonymous.insert(anonymous.end(), made.begin(), made.end());
        std::string name = made.empty() ? "" : made.front();
        if (name.empty()) name = fs::path(*folder).parent_path().filename().string();
        mounts.push_back({id, name, target});
        return folder;
    };
    cc.volumes_from = [&](const std::string& ref) {
        return shared_mounts(ctx, project, ref, id, mounts);
    };
    if (scheduler::needs_bridge_network(*node)) {
        auto netns = setup_network(ctx, project, *node, id, spec.run);
        if (!netns) return std::move(netns).error();
        cc.netns_path = *netns;
    }
    if (spec.run) {
        cc.command = spec.run->command;
        cc.entrypoint = spec.run->entrypoint;
        cc.extra_env = spec.run->env;
        cc.user = spec.run->user;
        cc.workdir = spec.run->workdir;
        cc.tty = spec.run->tty;
    }
    auto args = scheduler::container_args(*node, cc);
    if (!args) return std::move(args).error();
    if (auto r = create_bind_sources(*node); !r) return r.error();
    if (auto r = write_etc_files(ctx, id, network_owner(ctx, project.name, *node, id), *node,
                                 args->hostname, uses_host_network(*node));
        !r) {
        return r.error();
    }
    ContainerRecord rec;
    rec.id = id;
    rec.name = spec.name;
    rec.project = project.name;
    rec.service = spec.service;
    rec.number = spec.number;
    rec.oneoff = spec.oneoff;
    rec.config_hash = spec.config_hash;
    rec.image = image.ref;
    rec.image_id = image.id;
    rec.command = args->command;
    rec.labels = args->labels;
    rec.created = static_cast<std::int64_t>(::time(nullptr));
    // Recorded before the engine container exists: a daemon killed in between leaves a record
    // without a folder, which start-up removes (adopt.cpp), never a container nobody knows.
    if (auto r = ctx.db->put_container(rec); !r) return r.error();
    if (auto r = ctx.db->put_volume_mounts(id, mounts); !r) return r.error();
    if (auto r = record_restart_policy(ctx, id, *node, spec.service, spec.oneoff); !r) {
        return r.error();
    }
    if (ctx.health) {
        if (auto r = ctx.health->configure(id, args->healthcheck); !r) return r.error();
    }
    if (auto r = ctx.runtime->create(id, args->create_args); !r) return r.error();
    return rec;
}

}  // namespace

std::map<std::string, std::string> anonymous_volumes(DaemonContext& ctx, const std::string& id) {
    std::map<std::string, std::string> out;
    auto mounts = ctx.db->volume_mounts(id);
    if (!mounts) return out;
    for (const auto& m : *mounts) {
        auto v = ctx.db->volume(m.volume);
        if (v && *v && (*v)->anonymous) out[m.target] = m.volume;
    }
    return out;
}

Result<ContainerRecord> create_container(DaemonContext& ctx, const compose::Project& project,
                                         const ResolvedImage& image, const NewContainer& spec) {
    const std::string id = new_container_id();
    std::vector<std::string> anonymous;
    auto rec = make_container(ctx, project, image, spec, id, anonymous);
    if (!rec) {
        // Undo whatever part was made; the first error is the one the user needs.
        (void)ctx.runtime->remove(id, true);
        if (ctx.networks) (void)ctx.networks->release_container(id);
        std::error_code ec;
        fs::remove_all(ctx.container_data(id), ec);
        (void)images::remove_lease(*ctx.store, id);
        (void)ctx.db->remove_container(id);
        for (const auto& name : anonymous) (void)remove_volume(ctx, name);
        Error e = rec.error();
        return e.context("create container " + spec.name);
    }
    // Bookkeeping only (the image's last use): a failure here must not undo a good container.
    if (auto used = ctx.db->touch_image(image.id); !used) log_warn(used.error().message());
    ctx.events->publish("create", id, event_attributes(*rec));
    return rec;
}

Result<void> start_container(DaemonContext& ctx, const ContainerRecord& c) {
    if (ctx.restarts) ctx.restarts->user_started(c.id);
    return launch_container(ctx, c);
}

Result<void> launch_container(DaemonContext& ctx, const ContainerRecord& c) {
    // Its names answer from before its first instruction runs, so a peer started right after it
    // finds it; a start that fails takes them back.
    if (ctx.dns) ctx.dns->starting(c.id);
    if (auto r = ctx.runtime->start(c.id); !r) {
        if (ctx.dns) ctx.dns->container_changed(c.id);
        Error e = r.error();
        return e.context("start container " + c.name);
    }
    ctx.events->publish("start", c.id, event_attributes(c));
    if (ctx.health) ctx.health->started(c);
    return {};
}

Result<void> stop_container(DaemonContext& ctx, const ContainerRecord& c,
                            std::optional<double> timeout, StopOutcome* outcome) {
    // Before the signal, so the exit it causes is never taken for one to restart after; and
    // also when it is not running, so a restart waiting for its backoff is dropped.
    if (ctx.restarts) ctx.restarts->user_stopped(c.id);
    auto st = ctx.runtime->status(c.id);
    if (st && st->state != ContainerRunState::Running && st->state != ContainerRunState::Paused) {
        return {};
    }
    if (ctx.health) ctx.health->stopped(c.id);
    auto stopped = ctx.runtime->stop(c.id, timeout);
    if (!stopped) {
        Error e = stopped.error();
        return e.context("stop container " + c.name);
    }
    if (outcome) *outcome = *stopped;
    // die before stop, as docker orders them; the exit watch would publish it only later.
    if (auto after = ctx.runtime->status(c.id); after) publish_exit(ctx, c, *after);
    ctx.events->publish("stop", c.id, event_attributes(c));
    return {};
}

bool publish_exit(DaemonContext& ctx, const ContainerRecord& c, const ContainerStatus& st) {
    if (st.state != ContainerRunState::Exited) return false;
    {
        std::lock_guard lock(ctx.exits_mu);
        auto& last = ctx.reported_exits[c.id];
        const std::string run = st.started_at + "/" + st.finished_at;
        if (last == run) return false;
        last = run;
    }
    auto attrs = event_attributes(c);
    attrs["exitCode"] = std::to_string(st.exit_code);
    if (st.oom_killed) ctx.events->publish("oom", c.id, event_attributes(c));
    ctx.events->publish("die", c.id, attrs);
    return true;
}

Result<void> remove_container(DaemonContext& ctx, const ContainerRecord& c,
                              std::optional<double> timeout, StopOutcome* outcome,
                              bool anonymous_volumes) {
    std::vector<std::string> errors;
    // Read before the record (and its mount rows) goes.
    std::vector<std::string> anonymous;
    if (anonymous_volumes) {
        if (auto mounts = ctx.db->volume_mounts(c.id)) {
            for (const auto& m : *mounts) {
                auto v = ctx.db->volume(m.volume);
                if (v && *v && (*v)->anonymous) anonymous.push_back(m.volume);
            }
        }
    }
    if (auto r = stop_container(ctx, c, timeout, outcome); !r) {
        errors.push_back(r.error().message());
    }
    // A container that ended on its own moments ago may not have had its die yet.
    if (auto st = ctx.runtime->status(c.id); st) publish_exit(ctx, c, *st);
    if (auto r = ctx.runtime->remove(c.id, true); !r) errors.push_back(r.error().message());
    if (ctx.networks) {
        if (auto r = ctx.networks->release_container(c.id); !r) {
            errors.push_back(r.error().message());
        }
    }
    std::error_code ec;
    fs::remove_all(ctx.container_data(c.id), ec);
    if (ec) errors.push_back("remove " + ctx.container_data(c.id) + ": " + ec.message());
    if (errors.empty()) {
        if (auto r = images::remove_lease(*ctx.store, c.id); !r)
            errors.push_back(r.error().message());
    }
    // The record goes only when the engine container went: otherwise a retry must still find it.
    if (errors.empty()) {
        if (auto r = ctx.db->remove_container(c.id); !r) errors.push_back(r.error().message());
    }
    if (!errors.empty()) {
        std::string all;
        for (const auto& e : errors) all += (all.empty() ? "" : "; ") + e;
        return Error("remove container " + c.name + ": " + all);
    }
    {
        std::lock_guard lock(ctx.exits_mu);
        ctx.reported_exits.erase(c.id);
    }
    if (ctx.health) ctx.health->removed(c.id);
    ctx.events->publish("destroy", c.id, event_attributes(c));
    std::string kept;
    for (const auto& name : anonymous) {
        // Another container mounts it too (volumes_from): it stays, as with Docker's rm -v.
        if (auto users = ctx.db->volume_mounts("", name); !users || !users->empty()) continue;
        if (auto r = remove_volume(ctx, name); !r)
            kept += (kept.empty() ? "" : "; ") + r.error().message();
    }
    if (!kept.empty()) return Error("remove container " + c.name + ": " + kept);
    return {};
}

}  // namespace berth::daemon
