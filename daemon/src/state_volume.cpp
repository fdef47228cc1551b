// StateDb's volume rows: the volumes berthd made or was told of, and which container mounts which.
#include <nlohmann/json.hpp>

#include "state_impl.hpp"

namespace berth::daemon {

namespace {

using json = nlohmann::json;

const char* kVolumeColumns = "name, driver, options, labels, project, anonymous, created";

std::map<std::string, std::string> string_map(const std::string& text) {
    json parsed = json::parse(text, nullptr, false);
    std::map<std::string, std::string> out;
    if (!parsed.is_object()) return out;
    for (const auto& [k, v] : parsed.items()) {
        if (v.is_string()) out[k] = v.get<std::string>();
    }
    return out;
}

VolumeRecord read_volume(const Statement& s) {
    VolumeRecord v;
    v.name = s.text(0);
    v.driver = s.text(1);
    v.options = string_map(s.text(2));
    v.labels = string_map(s.text(3));
    v.project = s.text(4);
    v.anonymous = s.integer(5) != 0;
    v.created = s.integer(6);
    return v;
}

VolumeMount read_mount(const Statement& s) {
    return {s.text(0), s.text(1), s.text(2)};
}

}  // namespace

Result<void> StateDb::put_volume(const VolumeRecord& v) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "put volume " + v.name;
    auto stmt = impl_->db.statement(std::string("INSERT OR REPLACE INTO volumes (") +
                                    kVolumeColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, v.name)
        .bind(2, v.driver)
        .bind(3, json(v.options).dump())
        .bind(4, json(v.labels).dump())
        .bind(5, v.project)
        .bind(6, std::int64_t{v.anonymous ? 1 : 0})
        .bind(7, v.created);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), what);
    return {};
}

Result<std::optional<VolumeRecord>> StateDb::volume(const std::string& name) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kVolumeColumns +
                                    " FROM volumes WHERE name = ?");
    if (!stmt) return impl_->fail(stmt.error(), "get volume " + name);
    stmt->bind(1, name);
    auto all = read_all<VolumeRecord>(*stmt, read_volume);
    if (!all) return impl_->fail(all.error(), "get volume " + name);
    if (all->empty()) return std::optional<VolumeRecord>();
    return std::optional<VolumeRecord>(std::move(all->front()));
}

Result<std::vector<VolumeRecord>> StateDb::volumes() {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kVolumeColumns +
                                    " FROM volumes ORDER BY name");
    if (!stmt) return impl_->fail(stmt.error(), "list volumes");
    auto all = read_all<VolumeRecord>(*stmt, read_volume);
    if (!all) return impl_->fail(all.error(), "list volumes");
    return all;
}

Result<void> StateDb::remove_volume(const std::string& name) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement("DELETE FROM volumes WHERE name = ?");
    if (!stmt) return impl_->fail(stmt.error(), "remove volume " + name);
    stmt->bind(1, name);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), "remove volume " + name);
    return {};
}

Result<void> StateDb::put_volume_mounts(const std::string& container_id,
                                        const std::vector<VolumeMount>& mounts) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "record the volumes of " + container_id;
    auto clear = impl_->db.statement("DELETE FROM volume_mounts WHERE container_id = ?");
    if (!clear) return impl_->fail(clear.error(), what);
    clear->bind(1, container_id);
    if (auto ran = clear->run(); !ran) return impl_->fail(ran.error(), what);
    for (const auto& m : mounts) {
        auto stmt = impl_->db.statement(
            "INSERT OR REPLACE INTO volume_mounts (container_id, volume, target) VALUES (?, ?, ?)");
        if (!stmt) return impl_->fail(stmt.error(), what);
        stmt->bind(1, container_id).bind(2, m.volume).bind(3, m.target);
        if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), what);
    }
    return {};
}

Result<std::vector<VolumeMount>> StateDb::volume_mounts(const std::string& container_id,
                                                        const std::string& volume) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(
        "SELECT container_id, volume, target FROM volume_mounts WHERE (?1 = '' OR container_id = "
        "?1) AND (?2 = '' OR volume = ?2) ORDER BY container_id, target");
    if (!stmt) return impl_->fail(stmt.error(), "list volume mounts");
    stmt->bind(1, container_id).bind(2, volume);
    auto all = read_all<VolumeMount>(*stmt, read_mount);
    if (!all) return impl_->fail(all.error(), "list volume mounts");
    return all;
}

}  // namespace berth::daemon
