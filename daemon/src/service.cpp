#include "service.hpp"

#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "adopt.hpp"
#include "dns_service.hpp"
#include "exit_watch.hpp"
#include "health_monitor.hpp"
#include "log.hpp"
#include "network_manager.hpp"
#include "project_ops.hpp"
#include "restart_manager.hpp"
#include "routes.hpp"
#include "volume_store.hpp"

namespace berth::daemon {

namespace {

std::unique_ptr<DaemonContext> g_ctx;
std::unique_ptr<RestartManager> g_restarts;
std::unique_ptr<ExitWatch> g_watch;

std::string self_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : exe.parent_path().string();
}

Result<void> make_dir(const std::string& path) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return errno_error("create " + path, ec.value());
    ::chmod(path.c_str(), 0700);
    return {};
}

// daemon.json's log-opts read by the same code as a service's logging.options, so both accept
// the same values and a bad one stops start-up with the same words.
Result<scheduler::LogRotation> log_defaults(const DaemonConfig& cfg) {
    compose::Node options = compose::Node::mapping();
    for (const auto& [k, v] : cfg.log_opts) options.set(k, compose::Node::string(v));
    compose::Node logging = compose::Node::mapping();
    logging.set("options", std::move(options));
    compose::Node service = compose::Node::mapping();
    service.set("logging", std::move(logging));
    auto r = scheduler::log_rotation_of(service, {});
    if (!r) {
        Error e = r.error();
        return e.context("log-opts");
    }
    return r;
}

Result<std::unique_ptr<DaemonContext>> open_context(const DaemonConfig& cfg) {
    auto ctx = std::make_unique<DaemonContext>();
    ctx->cfg = cfg;
    auto logs = log_defaults(cfg);
    if (!logs) return logs.error();
    ctx->log_defaults = *logs;
    for (const auto& dir :
         {cfg.data_root, ctx->containers_root(), cfg.data_root + "/container-data"}) {
        if (auto r = make_dir(dir); !r) return r.error();
    }
    auto db = StateDb::open(cfg.data_root + "/berth.db");
    if (!db) return db.error();
    ctx->db = std::move(db).value();
    auto store = images::Store::open(
        {cfg.data_root, cfg.storage_driver.empty() ? "overlay2" : cfg.storage_driver});
    if (!store) return store.error();
    ctx->store = std::make_unique<images::Store>(std::move(store).value());
    ctx->runtime =
        std::make_unique<Runtime>(RuntimeConfig{self_dir() + "/berth-ctr", ctx->containers_root()});
    ctx->events = std::make_unique<EventBus>(*ctx->db);
    return ctx;
}

// A plan's threads and buffers leave freed memory in malloc's arenas, and SQLite's page cache
// holds what the plan read; giving both back after each operation keeps the idle daemon small
// (bench/compose_bench.sh prints its RSS).
Handler trimmed(DaemonContext& ctx, Handler h) {
    return [&ctx, h = std::move(h)](const HttpRequest& q, ResponseWriter& w) {
        h(q, w);
        ctx.db->release_memory();
        ::malloc_trim(0);
    };
}

void add_project_routes(Router& r, DaemonContext& ctx) {
    r.add("POST", "/v1/projects/{name}/up",
          trimmed(ctx, [&ctx](const HttpRequest& q, ResponseWriter& w) {
              handle_up(ctx, q, w, false);
          }));
    r.add("POST", "/v1/projects/{name}/create",
          trimmed(ctx,
                  [&ctx](const HttpRequest& q, ResponseWriter& w) { handle_up(ctx, q, w, true); }));
    r.add(
        "POST", "/v1/projects/{name}/down",
        trimmed(ctx, [&ctx](const HttpRequest& q, ResponseWriter& w) { handle_down(ctx, q, w); }));
    for (const char* verb : {"start", "stop", "restart", "kill", "pause", "unpause", "rm"}) {
        r.add("POST", std::string("/v1/projects/{name}/") + verb,
              trimmed(ctx, [&ctx, verb](const HttpRequest& q, ResponseWriter& w) {
                  handle_action(ctx, q, w, verb);
              }));
    }
}

// The network manager, with the kernel side made again from the state: bridges a reboot took,
// the published ports' sockets, the firewall. What cannot be restored is logged, not fatal: the
// containers that need it fail to start with the reason.
Result<void> start_networks(DaemonContext& ctx) {
    NetworkManagerOptions o;
    o.netns_root = ctx.cfg.exec_root + "/netns";
    for (const auto& p : ctx.cfg.default_address_pools) {
        auto pool = network::make_pool(p.base, p.size);
        if (!pool) return pool.error().context("default-address-pools");
        o.pools.push_back(*pool);
    }
    ctx.networks = std::make_shared<NetworkManager>(*ctx.db, std::move(o));
    std::set<std::string> live;
    auto all = ctx.db->containers("");
    if (!all) return all.error();
    for (const auto& c : *all) live.insert(c.id);
    if (auto r = ctx.networks->restore(live); !r) log_warn(r.error().message());
    return {};
}

// The resolver, fed by the events that change what it answers and by network changes. Its
// observers are set before any route is served; an event published before start() is covered by
// start()'s full load.
void start_dns(DaemonContext& ctx) {
    DnsServiceOptions o;
    o.default_servers = ctx.cfg.dns;
    ctx.dns = std::make_shared<DnsService>(ctx, std::move(o));
    std::weak_ptr<DnsService> weak = ctx.dns;
    ctx.events->observe([weak](const std::string& action, const std::string& id) {
        static const std::set<std::string> relevant{"create", "start", "die", "stop", "destroy"};
        if (!relevant.count(action) && action.rfind("health_status", 0) != 0) return;
        if (auto d = weak.lock()) d->container_changed(id);
    });
    ctx.networks->on_networks_changed([weak] {
        if (auto d = weak.lock()) d->networks_changed();
    });
    ctx.dns->start();
}

}  // namespace

std::mutex& DaemonContext::project_lock(const std::string& project) {
    std::lock_guard lock(locks_mu_);
    auto& m = locks_[project];
    if (!m) m = std::make_unique<std::mutex>();
    return *m;
}

Result<void> register_routes(Router& router, const DaemonConfig& cfg) {
    auto ctx = open_context(cfg);
    if (!ctx) return ctx.error();
    g_ctx = std::move(ctx).value();
    auto report = adopt(*g_ctx);
    if (!report) return report.error();
    std::fprintf(stderr,
                 "berthd: %d container(s) adopted, %d stale record(s) dropped, %d unrecorded "
                 "container(s) removed, %d interrupted step(s)\n",
                 report->adopted, report->dropped_records, report->removed_unknown,
                 report->interrupted_steps);
    {
        // A store that cannot be listed must not keep berthd from serving its containers; the
        // image routes report it, and the next listing records the images again.
        std::lock_guard lock(g_ctx->store_mu);
        if (auto r = record_images(*g_ctx); !r) log_warn(r.error().message());
    }
    if (auto r = start_networks(*g_ctx); !r) return r.error();
    restore_volumes(*g_ctx);
    g_restarts = std::make_unique<RestartManager>(*g_ctx);
    g_ctx->restarts = g_restarts.get();
    g_watch = std::make_unique<ExitWatch>(
        *g_ctx,
        [](const ContainerRecord& c, const ContainerStatus& st) { g_restarts->exited(c, st); });
    // After the watch has taken note of what has already exited, so that a container restarted
    // here is watched from its first run.
    g_restarts->resume();
    g_ctx->health = std::make_shared<HealthMonitor>(*g_ctx);
    g_ctx->health->resume_running();
    start_dns(*g_ctx);
    add_project_routes(router, *g_ctx);
    add_query_routes(router, *g_ctx);
    add_stdio_routes(router, *g_ctx);
    add_archive_routes(router, *g_ctx);
    add_image_routes(router, *g_ctx);
    add_inspect_routes(router, *g_ctx);
    add_network_routes(router, *g_ctx);
    add_volume_routes(router, *g_ctx);
    return {};
}

void shutdown_service() {
    if (g_ctx && g_ctx->dns) g_ctx->dns->stop();
    g_watch.reset();
    if (g_ctx) g_ctx->health.reset();
    if (g_ctx) g_ctx->restarts = nullptr;
    g_restarts.reset();
    if (g_ctx) g_ctx->events->stop();
    g_ctx.reset();
}

}  // namespace berth::daemon
