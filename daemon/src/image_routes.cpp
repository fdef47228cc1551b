// The image routes: the `berth image` commands on the daemon's store (docs/api.md, "Images").
// Every route holds ctx.store_mu, so an upload's temp folder under images/tmp cannot be swept by
// a prune running at the same time, and snapshots are never prepared from a half-removed image.
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/fs.hpp"
#include "common/strings.hpp"
#include "images/images.hpp"
#include "private_cwd.hpp"
#include "routes.hpp"

namespace berth::daemon {

namespace {

using nlohmann::json;

std::string query(const HttpRequest& req, const char* key) {
    auto it = req.query.find(key);
    return it == req.query.end() ? "" : it->second;
}

bool flag(const HttpRequest& req, const char* key) {
    std::string v = query(req, key);
    return v == "1" || v == "true";
}

// 404 for an unknown image, 409 for an image a container holds, else the route's own status.
int status_for(const Error& e, int otherwise) {
    const std::string& m = e.message();
    if (m.starts_with("No such image")) return 404;
    if (m.starts_with("conflict:")) return 409;
    return otherwise;
}

void reply_lines(ResponseWriter& w, const Result<std::vector<std::string>>& lines, int otherwise) {
    if (!lines) return w.error(status_for(lines.error(), otherwise), lines.error().message());
    w.json(200, json{{"lines", *lines}}.dump());
}

// A folder of its own under <data-root>/images/tmp, removed when it goes out of scope.
class TempDir {
  public:
    static Result<TempDir> make(const images::Store& store) {
        auto dir = store.new_ingest_dir();
        if (!dir) return dir.error();
        return TempDir(*dir);
    }
    TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
    TempDir& operator=(TempDir&&) = delete;
    ~TempDir() {
        std::error_code ec;
        if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    }
    const std::string& path() const { return path_; }

  private:
    explicit TempDir(std::string p) : path_(std::move(p)) {}
    std::string path_;
};

Result<void> write_file(const std::string& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) return Error("write " + path + ": " + std::strerror(errno));
    return {};
}

// The request body as a file the store can read. Error messages name it "the request body"
// rather than a temp path the client never saw.
template <typename F>
void with_body_file(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w, F&& body) {
    if (req.body.empty()) return w.error(400, "the request body is empty: send the archive");
    auto dir = TempDir::make(*ctx.store);
    if (!dir) return w.error(500, dir.error().message());
    std::string file = dir->path() + "/upload.tar";
    if (auto ok = write_file(file, req.body); !ok) return w.error(500, ok.error().message());
    auto lines = body(file);
    if (!lines) {
        std::string msg = lines.error().message();
        for (auto at = msg.find(file); at != std::string::npos; at = msg.find(file))
            msg.replace(at, file.size(), "the request body");
        return w.error(status_for(lines.error(), 400), msg);
    }
    w.json(200, json{{"lines", *lines}}.dump());
}

void list_route(DaemonContext& ctx, ResponseWriter& w) {
    auto list = images::list_images(*ctx.store);
    if (!list) return w.error(500, list.error().message());
    json out = json::array();
    for (const auto& i : *list) {
        out.push_back({{"Names", i.names}, {"ID", i.id}, {"Created", i.created}, {"Size", i.size}});
    }
    w.json(200, out.dump());
}

void inspect_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    auto j = images::inspect_image(*ctx.store, req.params.at("name"));
    if (!j) return w.error(status_for(j.error(), 500), j.error().message());
    w.json(200, *j);
}

void import_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    std::string name = query(req, "name");
    if (name.empty()) return w.error(400, "import: give the image's name (name=NAME[:TAG])");
    std::vector<std::string> changes;
    if (auto text = query(req, "changes"); !text.empty()) {
        json j = json::parse(text, nullptr, false);
        if (!j.is_array() ||
            !std::all_of(j.begin(), j.end(), [](auto& c) { return c.is_string(); }))
            return w.error(400, "changes: not a JSON array of strings");
        changes = j.get<std::vector<std::string>>();
    }
    with_body_file(ctx, req, w, [&](const std::string& file) -> Result<std::vector<std::string>> {
        auto id = images::import_rootfs(*ctx.store, file, name, changes);
        if (!id) return id.error();
        return std::vector<std::string>{*id};
    });
}

void load_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    with_body_file(ctx, req, w,
                   [&](const std::string& file) { return images::load_archive(*ctx.store, file); });
}

// The archive is written to a temp file first: the store writes a seekable tar, and a missing
// name is an error before any byte of the reply.
void save_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    std::vector<std::string> names = split_nonempty(query(req, "names"), ",");
    if (names.empty()) return w.error(400, "save: give at least one image (names=a,b)");
    auto dir = TempDir::make(*ctx.store);
    if (!dir) return w.error(500, dir.error().message());
    std::string file = dir->path() + "/save.tar";
    if (auto ok = images::save_archive(*ctx.store, names, file); !ok)
        return w.error(status_for(ok.error(), 500), ok.error().message());
    auto data = read_file(file);
    if (!data) return w.error(500, data.error().message());
    w.respond(200, "application/x-tar", *data);
}

void remove_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    reply_lines(w, images::remove_image(*ctx.store, req.params.at("name"), flag(req, "force")),
                500);
}

void tag_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    std::string repo = query(req, "repo");
    if (repo.empty()) return w.error(400, "tag: give the new name (repo=TARGET[:TAG])");
    auto ok = images::tag_image(*ctx.store, req.params.at("name"), repo);
    if (!ok) return w.error(status_for(ok.error(), 400), ok.error().message());
    w.json(200, json{{"lines", json::array()}}.dump());
}

// Each route under the store lock, on a thread whose working directory is its own.
Handler locked(DaemonContext& ctx,
               void (*route)(DaemonContext&, const HttpRequest&, ResponseWriter&)) {
    return [&ctx, route](const HttpRequest& q, ResponseWriter& w) {
        if (auto ok = private_cwd(); !ok) return w.error(500, ok.error().message());
        std::lock_guard lock(ctx.store_mu);
        route(ctx, q, w);
    };
}

}  // namespace

void add_image_routes(Router& r, DaemonContext& ctx) {
    r.add("GET", "/v1/images", [&ctx](const HttpRequest&, ResponseWriter& w) {
        std::lock_guard lock(ctx.store_mu);
        list_route(ctx, w);
    });
    r.add("GET", "/v1/images/get", locked(ctx, save_route));
    r.add("POST", "/v1/images/import", locked(ctx, import_route));
    r.add("POST", "/v1/images/load", locked(ctx, load_route));
    r.add("POST", "/v1/images/prune", [&ctx](const HttpRequest&, ResponseWriter& w) {
        std::lock_guard lock(ctx.store_mu);
        reply_lines(w, images::prune_images(*ctx.store), 500);
    });
    r.add("GET", "/v1/images/{name}/json", locked(ctx, inspect_route));
    r.add("DELETE", "/v1/images/{name}", locked(ctx, remove_route));
    r.add("POST", "/v1/images/{name}/tag", locked(ctx, tag_route));
}

}  // namespace berth::daemon
