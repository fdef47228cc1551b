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
#include <map>
#include <nlohmann/json.hpp>

#include "common/fs.hpp"
#include "common/strings.hpp"
#include "images/images.hpp"
#include "images/reference.hpp"
#include "log.hpp"
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
    if (auto r = record_images(ctx); !r) return w.error(500, r.error().message());
    auto rows = ctx.db->images();
    if (!rows) return w.error(500, rows.error().message());
    json out = json::array();
    for (const auto& i : *rows) {
        out.push_back({{"Names", i.names},
                       {"ID", i.id},
                       {"Created", i.created},
                       {"Size", i.size},
                       {"LastTagTime", i.last_tag_time}});
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

enum class Changes { Nothing, Store };

// Each route under the store lock, on a thread whose working directory is its own. A route that
// changes the store brings the state's image rows along; a failure there is logged, not
// reported, since the store (the truth) has changed either way and the next listing retries.
Handler locked(DaemonContext& ctx,
               void (*route)(DaemonContext&, const HttpRequest&, ResponseWriter&),
               Changes changes = Changes::Nothing) {
    return [&ctx, route, changes](const HttpRequest& q, ResponseWriter& w) {
        if (auto ok = private_cwd(); !ok) return w.error(500, ok.error().message());
        std::lock_guard lock(ctx.store_mu);
        route(ctx, q, w);
        if (changes == Changes::Store) {
            if (auto r = record_images(ctx); !r) log_warn(r.error().message());
        }
    };
}

void prune_route(DaemonContext& ctx, const HttpRequest&, ResponseWriter& w) {
    reply_lines(w, images::prune_images(*ctx.store), 500);
}

// One container's image as docker compose's `images` lists it. The repository and tag are those
// the service named, so a container whose image was since retagged still shows what it runs.
json project_image_row(DaemonContext& ctx, const ContainerRecord& c,
                       std::map<std::string, json>& inspected,
                       const std::map<std::string, std::string>& tag_times) {
    json row = {{"ContainerName", c.name}, {"ID", c.image_id}, {"Repository", c.image}, {"Tag", ""},
                {"Platform", ""},          {"Size", 0}};
    if (auto ref = images::parse_reference(c.image); ref && !images::looks_like_id(c.image)) {
        row["Repository"] = ref->familiar_name();
        row["Tag"] = ref->tag;
    }
    auto found = inspected.find(c.image_id);
    if (found == inspected.end()) {
        // An image removed with `image rm -f` while the container holds it has no details left.
        auto text = images::inspect_image(*ctx.store, c.image_id);
        json j = text ? json::parse(*text, nullptr, false) : json();
        // inspect_image answers as `docker image inspect` does: an array of one.
        if (j.is_array() && j.size() == 1) j = j[0];
        found = inspected.emplace(c.image_id, j.is_object() ? j : json::object()).first;
    }
    const json& info = found->second;
    if (info.contains("Size")) {
        std::string os = info.value("Os", ""), arch = info.value("Architecture", "");
        row["Platform"] = os.empty() ? arch : arch.empty() ? os : os + "/" + arch;
        row["Size"] = info.value("Size", std::uint64_t{0});
        row["Created"] = info.value("Created", "");
    }
    if (auto t = tag_times.find(c.image_id); t != tag_times.end() && !t->second.empty()) {
        row["LastTagTime"] = t->second;
    }
    return row;
}

// GET /v1/projects/{name}/images?services=a,b: the images of the project's containers (one-off
// containers left out, as `ps` leaves them out).
void project_images_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    auto list = ctx.db->containers(req.params.at("name"));
    if (!list) return w.error(500, list.error().message());
    auto services = split_nonempty(query(req, "services"), ",");
    std::map<std::string, json> inspected;
    std::map<std::string, std::string> tag_times;
    if (auto rows = ctx.db->images()) {
        for (const auto& i : *rows) tag_times[i.id] = i.last_tag_time;
    }
    json out = json::array();
    for (const auto& c : *list) {
        if (c.oneoff) continue;
        if (!services.empty() &&
            std::find(services.begin(), services.end(), c.service) == services.end())
            continue;
        out.push_back(project_image_row(ctx, c, inspected, tag_times));
    }
    w.json(200, out.dump());
}

}  // namespace

Result<void> record_images(DaemonContext& ctx) {
    auto list = images::list_images(*ctx.store);
    if (!list) return list.error().context("record images");
    std::vector<ImageRecord> rows;
    rows.reserve(list->size());
    for (const auto& i : *list) rows.push_back({i.id, i.names, i.created, i.size, "", 0});
    return ctx.db->sync_images(rows);
}

void add_image_routes(Router& r, DaemonContext& ctx) {
    r.add("GET", "/v1/projects/{name}/images", locked(ctx, project_images_route));
    r.add("GET", "/v1/images", [&ctx](const HttpRequest&, ResponseWriter& w) {
        std::lock_guard lock(ctx.store_mu);
        list_route(ctx, w);
    });
    r.add("GET", "/v1/images/get", locked(ctx, save_route));
    r.add("POST", "/v1/images/import", locked(ctx, import_route, Changes::Store));
    r.add("POST", "/v1/images/load", locked(ctx, load_route, Changes::Store));
    r.add("POST", "/v1/images/prune", locked(ctx, prune_route, Changes::Store));
    r.add("GET", "/v1/images/{name}/json", locked(ctx, inspect_route));
    r.add("DELETE", "/v1/images/{name}", locked(ctx, remove_route, Changes::Store));
    r.add("POST", "/v1/images/{name}/tag", locked(ctx, tag_route, Changes::Store));
}

}  // namespace berth::daemon
