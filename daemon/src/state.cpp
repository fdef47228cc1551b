#include "daemon/state.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>

#include "sqlite_db.hpp"
#include "state_impl.hpp"
#include "state_schema.hpp"

namespace berth::daemon {

namespace {

using json = nlohmann::json;

std::string rfc3339_now() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A column we wrote ourselves; a hand-edited or damaged value reads as empty rather than aborting
// the daemon.
template <typename T>
T from_json_text(const std::string& text) {
    json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded()) return T{};
    try {
        return parsed.get<T>();
    } catch (const json::exception&) {
        return T{};
    }
}

StepState parse_step_state(const std::string& s) {
    if (s == "running") return StepState::Running;
    if (s == "done") return StepState::Done;
    if (s == "failed") return StepState::Failed;
    return StepState::Pending;
}

const char* kProjectColumns = "name, model_json, config_files, working_dir, updated_at";
const char* kContainerColumns =
    "id, name, project, service, number, oneoff, config_hash, image, image_id, command, labels, "
    "created";
const char* kImageColumns = "id, names, created, size, last_tag_time, last_used";
const char* kEventColumns = "seq, time_nano, type, action, id, attributes";
const char* kStepColumns = "id, plan_id, project, seq, kind, target, state, error";

ProjectRecord read_project(const Statement& s) {
    ProjectRecord p;
    p.name = s.text(0);
    p.model_json = s.text(1);
    p.config_files = from_json_text<std::vector<std::string>>(s.text(2));
    p.working_dir = s.text(3);
    p.updated_at = s.text(4);
    return p;
}

ContainerRecord read_container(const Statement& s) {
    ContainerRecord c;
    c.id = s.text(0);
    c.name = s.text(1);
    c.project = s.text(2);
    c.service = s.text(3);
    c.number = static_cast<int>(s.integer(4));
    c.oneoff = s.integer(5) != 0;
    c.config_hash = s.text(6);
    c.image = s.text(7);
    c.image_id = s.text(8);
    c.command = from_json_text<std::vector<std::string>>(s.text(9));
    c.labels = from_json_text<std::map<std::string, std::string>>(s.text(10));
    c.created = s.integer(11);
    return c;
}

ImageRecord read_image(const Statement& s) {
    ImageRecord i;
    i.id = s.text(0);
    i.names = from_json_text<std::vector<std::string>>(s.text(1));
    i.created = s.text(2);
    i.size = static_cast<std::uint64_t>(s.integer(3));
    i.last_tag_time = s.text(4);
    i.last_used = s.integer(5);
    return i;
}

// A name the image did not carry before is a new tag (docker's Metadata.LastTagTime).
bool has_new_name(const ImageRecord& now, const ImageRecord* before) {
    if (!before) return !now.names.empty();
    for (const auto& n : now.names) {
        if (std::find(before->names.begin(), before->names.end(), n) == before->names.end())
            return true;
    }
    return false;
}

EventRecord read_event(const Statement& s) {
    EventRecord e;
    e.seq = s.integer(0);
    e.time_nano = s.integer(1);
    e.type = s.text(2);
    e.action = s.text(3);
    e.id = s.text(4);
    e.attributes = from_json_text<std::map<std::string, std::string>>(s.text(5));
    return e;
}

StepRecord read_step(const Statement& s) {
    StepRecord r;
    r.id = s.integer(0);
    r.plan_id = s.text(1);
    r.project = s.text(2);
    r.seq = static_cast<int>(s.integer(3));
    r.kind = s.text(4);
    r.target = s.text(5);
    r.state = parse_step_state(s.text(6));
    r.error = s.text(7);
    return r;
}

template <typename T, typename Read>
Result<std::optional<T>> read_one(Statement& s, Read read) {
    auto row = s.step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<T>();
    return std::optional<T>(read(s));
}

}  // namespace

StateDb::StateDb() : impl_(std::make_unique<Impl>()) {}
StateDb::~StateDb() = default;

Result<std::unique_ptr<StateDb>> StateDb::open(const std::string& path) {
    std::unique_ptr<StateDb> state(new StateDb());
    Impl& impl = *state->impl_;
    impl.path = path;
    auto fail = [&](Error e) { return e.context("open state database " + path); };
    if (auto opened = impl.db.open(path); !opened) return fail(opened.error());
    // WAL lets readers (ps, events) run while a plan writes; NORMAL is durable across a daemon
    // crash, which is what matters here, and skips an fsync per commit. The busy timeout covers a
    // second process (a CLI reading the file, a daemon starting) holding the write lock briefly.
    // The first statement is also the first read of the file, so a file that is not a database
    // fails here.
    const char* setup =
        "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
        // The state is small and read mostly by index: 1 MiB of page cache, not SQLite's 8 MiB
        // default, keeps the idle daemon small.
        "PRAGMA cache_size = -1024;";
    if (auto configured = impl.db.exec(setup); !configured) return fail(configured.error());
    auto version = migrate_state_schema(impl.db);
    if (!version) return fail(version.error());
    impl.version = version.value();
    return state;
}

void StateDb::release_memory() {
    std::lock_guard lock(impl_->mu);
    sqlite3_db_release_memory(impl_->db.handle());
}

int StateDb::schema_version() const {
    return impl_->version;
}

Result<void> StateDb::put_project(const ProjectRecord& p) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("INSERT OR REPLACE INTO projects (") +
                                    kProjectColumns + ") VALUES (?, ?, ?, ?, ?)");
    if (!stmt) return impl_->fail(stmt.error(), "put project " + p.name);
    stmt->bind(1, p.name)
        .bind(2, p.model_json)
        .bind(3, json(p.config_files).dump())
        .bind(4, p.working_dir)
        .bind(5, p.updated_at.empty() ? rfc3339_now() : p.updated_at);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), "put project " + p.name);
    return {};
}

Result<std::optional<ProjectRecord>> StateDb::project(const std::string& name) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kProjectColumns +
                                    " FROM projects WHERE name = ?");
    if (!stmt) return impl_->fail(stmt.error(), "read project " + name);
    stmt->bind(1, name);
    auto found = read_one<ProjectRecord>(stmt.value(), read_project);
    if (!found) return impl_->fail(found.error(), "read project " + name);
    return found;
}

Result<std::vector<ProjectRecord>> StateDb::projects() {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kProjectColumns +
                                    " FROM projects ORDER BY name");
    if (!stmt) return impl_->fail(stmt.error(), "list projects");
    auto all = read_all<ProjectRecord>(stmt.value(), read_project);
    if (!all) return impl_->fail(all.error(), "list projects");
    return all;
}

Result<void> StateDb::remove_project(const std::string& name) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement("DELETE FROM projects WHERE name = ?");
    if (!stmt) return impl_->fail(stmt.error(), "remove project " + name);
    stmt->bind(1, name);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), "remove project " + name);
    return {};
}

Result<void> StateDb::put_container(const ContainerRecord& c) {
    std::lock_guard lock(impl_->mu);
    impl_->listings.clear();
    const std::string what = "put container " + c.name;
    // An upsert on id rather than INSERT OR REPLACE: REPLACE would also delete a different
    // container that holds the same name, where the caller must hear of the clash instead.
    auto stmt = impl_->db.statement(
        std::string("INSERT INTO containers (") + kContainerColumns +
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "name = excluded.name, project = excluded.project, service = excluded.service, "
        "number = excluded.number, oneoff = excluded.oneoff, config_hash = excluded.config_hash, "
        "image = excluded.image, image_id = excluded.image_id, command = excluded.command, "
        "labels = excluded.labels, created = excluded.created");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, c.id)
        .bind(2, c.name)
        .bind(3, c.project)
        .bind(4, c.service)
        .bind(5, std::int64_t{c.number})
        .bind(6, std::int64_t{c.oneoff ? 1 : 0})
        .bind(7, c.config_hash)
        .bind(8, c.image)
        .bind(9, c.image_id)
        .bind(10, json(c.command).dump())
        .bind(11, json(c.labels).dump())
        .bind(12, c.created != 0 ? c.created : unix_now());
    auto ran = stmt->run();
    if (ran) return {};
    if (impl_->db.extended_errcode() == SQLITE_CONSTRAINT_UNIQUE) {
        return impl_->fail(Error("the container name \"" + c.name + "\" is already in use: " +
                                     "remove or rename that container first",
                                 EEXIST),
                           what);
    }
    return impl_->fail(ran.error(), what);
}

Result<std::optional<ContainerRecord>> StateDb::container(const std::string& id) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kContainerColumns +
                                    " FROM containers WHERE id = ?");
    if (!stmt) return impl_->fail(stmt.error(), "read container " + id);
    stmt->bind(1, id);
    auto found = read_one<ContainerRecord>(stmt.value(), read_container);
    if (!found) return impl_->fail(found.error(), "read container " + id);
    return found;
}

Result<std::optional<ContainerRecord>> StateDb::container_by_name(const std::string& name) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kContainerColumns +
                                    " FROM containers WHERE name = ?");
    if (!stmt) return impl_->fail(stmt.error(), "read container " + name);
    stmt->bind(1, name);
    auto found = read_one<ContainerRecord>(stmt.value(), read_container);
    if (!found) return impl_->fail(found.error(), "read container " + name);
    return found;
}

Result<std::vector<ContainerRecord>> StateDb::containers(const std::string& project) {
    std::lock_guard lock(impl_->mu);
    if (auto hit = impl_->listings.find(project); hit != impl_->listings.end()) return hit->second;
    const std::string what = "list containers" + (project.empty() ? "" : " of " + project);
    // `? = ''` selects every project with one cached statement.
    auto stmt = impl_->db.statement(std::string("SELECT ") + kContainerColumns +
                                    " FROM containers WHERE (?1 = '' OR project = ?1)"
                                    " ORDER BY project, service, number, name");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, project);
    auto all = read_all<ContainerRecord>(stmt.value(), read_container);
    if (!all) return impl_->fail(all.error(), what);
    impl_->listings[project] = *all;
    return all;
}

Result<void> StateDb::remove_container(const std::string& id) {
    std::lock_guard lock(impl_->mu);
    impl_->listings.clear();
    for (const char* sql : {"DELETE FROM container_health WHERE id = ?",
                            "DELETE FROM volume_mounts WHERE container_id = ?",
                            "DELETE FROM containers WHERE id = ?"}) {
        auto stmt = impl_->db.statement(sql);
        if (!stmt) return impl_->fail(stmt.error(), "remove container " + id);
        stmt->bind(1, id);
        if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), "remove container " + id);
    }
    return {};
}

Result<void> StateDb::sync_images(const std::vector<ImageRecord>& listing) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "record images";
    auto stmt = impl_->db.statement(std::string("SELECT ") + kImageColumns + " FROM images");
    if (!stmt) return impl_->fail(stmt.error(), what);
    auto old = read_all<ImageRecord>(stmt.value(), read_image);
    if (!old) return impl_->fail(old.error(), what);
    std::map<std::string, const ImageRecord*> before;
    for (const auto& i : *old) before[i.id] = &i;
    // Listing images calls this each time: when nothing changed, nothing is written.
    auto same = [&](const ImageRecord& i) {
        auto b = before.find(i.id);
        return b != before.end() && b->second->names == i.names &&
               b->second->created == i.created && b->second->size == i.size;
    };
    if (listing.size() == before.size() && std::all_of(listing.begin(), listing.end(), same)) {
        return {};
    }
    auto abort = [&](Error e, const std::string& where) {
        if (auto undone = impl_->db.exec("ROLLBACK"); !undone) {
            e = Error(e.message() + " (and the rollback failed: " + undone.error().message() + ")");
        }
        return impl_->fail(e, where);
    };
    // One transaction: a reader sees the old listing or the new one, never a mix.
    if (auto r = impl_->db.exec("BEGIN IMMEDIATE"); !r) return impl_->fail(r.error(), what);
    if (auto r = impl_->db.exec("DELETE FROM images"); !r) return abort(r.error(), what);
    const std::string now = rfc3339_now();
    for (const auto& i : listing) {
        auto found = before.find(i.id);
        const ImageRecord* prev = found == before.end() ? nullptr : found->second;
        auto put = impl_->db.statement(std::string("INSERT INTO images (") + kImageColumns +
                                       ") VALUES (?, ?, ?, ?, ?, ?)");
        if (!put) return abort(put.error(), what);
        put->bind(1, i.id)
            .bind(2, json(i.names).dump())
            .bind(3, i.created)
            .bind(4, static_cast<std::int64_t>(i.size))
            .bind(5, has_new_name(i, prev) ? now
                     : prev                ? prev->last_tag_time
                                           : "")
            .bind(6, prev ? prev->last_used : std::int64_t{0});
        if (auto ran = put->run(); !ran) return abort(ran.error(), what + " " + i.id);
    }
    if (auto r = impl_->db.exec("COMMIT"); !r) return abort(r.error(), what);
    return {};
}

Result<std::vector<ImageRecord>> StateDb::images() {
    std::lock_guard lock(impl_->mu);
    auto stmt =
        impl_->db.statement(std::string("SELECT ") + kImageColumns + " FROM images ORDER BY id");
    if (!stmt) return impl_->fail(stmt.error(), "list images");
    auto all = read_all<ImageRecord>(stmt.value(), read_image);
    if (!all) return impl_->fail(all.error(), "list images");
    return all;
}

Result<void> StateDb::touch_image(const std::string& id) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement("UPDATE images SET last_used = ? WHERE id = ?");
    if (!stmt) return impl_->fail(stmt.error(), "record use of image " + id);
    stmt->bind(1, unix_now()).bind(2, id);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), "record use of image " + id);
    return {};
}

Result<EventRecord> StateDb::add_event(EventRecord e) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "add event " + e.type + " " + e.action;
    auto stmt = impl_->db.statement(
        "INSERT INTO events (time_nano, type, action, id, attributes) VALUES (?, ?, ?, ?, ?)");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, e.time_nano)
        .bind(2, e.type)
        .bind(3, e.action)
        .bind(4, e.id)
        .bind(5, json(e.attributes).dump());
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), what);
    e.seq = impl_->db.last_insert_rowid();
    return e;
}

// since_nano and until_nano bound time_nano inclusively; until_nano <= 0 means no upper bound,
// as `events --until` is optional.
Result<std::vector<EventRecord>> StateDb::events_since(std::int64_t after_seq,
                                                       std::int64_t since_nano,
                                                       std::int64_t until_nano) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kEventColumns +
                                    " FROM events WHERE seq > ?1 AND time_nano >= ?2"
                                    " AND (?3 <= 0 OR time_nano <= ?3) ORDER BY seq");
    if (!stmt) return impl_->fail(stmt.error(), "read events");
    stmt->bind(1, after_seq).bind(2, since_nano).bind(3, until_nano);
    auto all = read_all<EventRecord>(stmt.value(), read_event);
    if (!all) return impl_->fail(all.error(), "read events");
    return all;
}

Result<void> StateDb::trim_events(std::int64_t keep) {
    std::lock_guard lock(impl_->mu);
    // The subquery finds the newest event that falls outside the kept window; NULL (fewer
    // events than `keep`) matches nothing.
    auto stmt = impl_->db.statement(
        "DELETE FROM events WHERE seq <= "
        "(SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?)");
    if (!stmt) return impl_->fail(stmt.error(), "trim events");
    stmt->bind(1, std::max<std::int64_t>(keep, 0));
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), "trim events");
    return {};
}

Result<std::int64_t> StateDb::add_step(const StepRecord& s) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "record step " + s.kind + " " + s.target;
    auto stmt = impl_->db.statement(
        "INSERT INTO plan_steps (plan_id, project, seq, kind, target, state, error, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, s.plan_id)
        .bind(2, s.project)
        .bind(3, std::int64_t{s.seq})
        .bind(4, s.kind)
        .bind(5, s.target)
        .bind(6, std::string(to_string(s.state)))
        .bind(7, s.error)
        .bind(8, unix_now());
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), what);
    return impl_->db.last_insert_rowid();
}

Result<void> StateDb::set_step_state(std::int64_t id, StepState state, const std::string& error) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "update step " + std::to_string(id);
    auto stmt =
        impl_->db.statement("UPDATE plan_steps SET state = ?, error = ?, updated = ? WHERE id = ?");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, std::string(to_string(state))).bind(2, error).bind(3, unix_now()).bind(4, id);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), what);
    if (sqlite3_changes(impl_->db.handle()) == 0) {
        return impl_->fail(Error("no such step", ENOENT), what);
    }
    return {};
}

Result<std::vector<StepRecord>> StateDb::unfinished_steps() {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kStepColumns +
                                    " FROM plan_steps WHERE state IN ('pending', 'running')"
                                    " ORDER BY id");
    if (!stmt) return impl_->fail(stmt.error(), "read unfinished steps");
    auto all = read_all<StepRecord>(stmt.value(), read_step);
    if (!all) return impl_->fail(all.error(), "read unfinished steps");
    return all;
}

Result<void> StateDb::put_health(const HealthRecord& h) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(
        "INSERT OR REPLACE INTO container_health (id, config, state) VALUES (?, ?, ?)");
    if (!stmt) return impl_->fail(stmt.error(), "put healthcheck of " + h.id);
    stmt->bind(1, h.id).bind(2, h.config).bind(3, h.state);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), "put healthcheck of " + h.id);
    return {};
}

Result<void> StateDb::set_health_state(const std::string& id, const std::string& state) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement("UPDATE container_health SET state = ? WHERE id = ?");
    if (!stmt) return impl_->fail(stmt.error(), "update health of " + id);
    stmt->bind(1, state).bind(2, id);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), "update health of " + id);
    return {};
}

Result<std::optional<HealthRecord>> StateDb::health(const std::string& id) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement("SELECT id, config, state FROM container_health WHERE id = ?");
    if (!stmt) return impl_->fail(stmt.error(), "read health of " + id);
    stmt->bind(1, id);
    auto found = read_one<HealthRecord>(stmt.value(), [](const Statement& s) {
        return HealthRecord{s.text(0), s.text(1), s.text(2)};
    });
    if (!found) return impl_->fail(found.error(), "read health of " + id);
    return found;
}

const char* to_string(StepState s) {
    switch (s) {
        case StepState::Pending:
            return "pending";
        case StepState::Running:
            return "running";
        case StepState::Done:
            return "done";
        case StepState::Failed:
            return "failed";
    }
    return "pending";
}

}  // namespace berth::daemon
