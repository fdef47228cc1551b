// `cp`: GET/PUT /v1/containers/{id}/archive, on a running container's files reached through
// /proc/PID1/root; the file side is archive_io.cpp.
#include <fcntl.h>

#include "archive_io.hpp"
#include "routes.hpp"

namespace berth::daemon {
namespace {

// The container's root, for a running (or paused) container; 409 otherwise.
CpResult<Fd> container_root(DaemonContext& ctx, const ContainerRecord& c) {
    auto st = ctx.runtime->status(c.id);
    if (!st ||
        (st->state != ContainerRunState::Running && st->state != ContainerRunState::Paused) ||
        st->pid <= 0) {
        return CpError{409,
                       "container " + c.name + " is not running: cp needs a running container"};
    }
    std::string root = "/proc/" + std::to_string(st->pid) + "/root";
    Fd fd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd.ok())
        return CpError{409, errno_error("open the root of container " + c.name, errno).message()};
    return fd;
}

struct Target {
    ContainerRecord c;
    Fd root;
    std::string path;
};

CpResult<Target> target_of(DaemonContext& ctx, const HttpRequest& req) {
    auto c = find_container(ctx, req.params.at("id"));
    if (!c) return CpError{404, c.error().message()};
    auto it = req.query.find("path");
    if (it == req.query.end() || it->second.empty())
        return CpError{400, "the path query parameter is required"};
    auto root = container_root(ctx, *c);
    if (auto* err = std::get_if<CpError>(&root)) return *err;
    return Target{*c, std::move(std::get<0>(root)), it->second};
}

void get_archive(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    auto t = target_of(ctx, req);
    if (auto* err = std::get_if<CpError>(&t)) return w.error(err->status, err->message);
    auto& tg = std::get<0>(t);
    auto tar = archive_path(tg.root.get(), tg.path, tg.c.name);
    if (auto* err = std::get_if<CpError>(&tar)) {
        return w.error(err->status, "copy " + tg.path + " from " + tg.c.name + ": " + err->message);
    }
    w.respond(200, "application/x-tar", std::get<0>(tar));
}

void put_archive(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    auto t = target_of(ctx, req);
    if (auto* err = std::get_if<CpError>(&t)) return w.error(err->status, err->message);
    auto& tg = std::get<0>(t);
    auto r = extract_archive(tg.root.get(), tg.path, req.body, tg.c.name);
    if (auto* err = std::get_if<CpError>(&r)) {
        return w.error(err->status,
                       "copy to " + tg.path + " in " + tg.c.name + ": " + err->message);
    }
    w.json(200, "{}");
}

}  // namespace

void add_archive_routes(Router& r, DaemonContext& ctx) {
    r.add("GET", "/v1/containers/{id}/archive",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { get_archive(ctx, q, w); });
    r.add("PUT", "/v1/containers/{id}/archive",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { put_archive(ctx, q, w); });
}

}  // namespace berth::daemon
