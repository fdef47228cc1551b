// StateDb's restart rows: one per container that has a policy, next to its container record.
#include "state_impl.hpp"

namespace berth::daemon {

namespace {

const char* kRestartColumns = "id, policy, stop_signal, restart_count, manually_stopped";

RestartRecord read_restart(const Statement& s) {
    RestartRecord r;
    r.id = s.text(0);
    r.policy = s.text(1);
    r.stop_signal = s.text(2);
    r.restart_count = static_cast<int>(s.integer(3));
    r.manually_stopped = s.integer(4) != 0;
    return r;
}

}  // namespace

Result<void> StateDb::put_restart(const RestartRecord& r) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "put restart state of " + r.id;
    auto stmt = impl_->db.statement(std::string("INSERT OR REPLACE INTO container_restart (") +
                                    kRestartColumns + ") VALUES (?, ?, ?, ?, ?)");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, r.id)
        .bind(2, r.policy)
        .bind(3, r.stop_signal)
        .bind(4, std::int64_t{r.restart_count})
        .bind(5, std::int64_t{r.manually_stopped ? 1 : 0});
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), what);
    return {};
}

Result<std::optional<RestartRecord>> StateDb::restart_record(const std::string& id) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "read restart state of " + id;
    auto stmt = impl_->db.statement(std::string("SELECT ") + kRestartColumns +
                                    " FROM container_restart WHERE id = ?");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row) return impl_->fail(row.error(), what);
    if (!*row) return std::optional<RestartRecord>();
    return std::optional<RestartRecord>(read_restart(*stmt));
}

Result<std::vector<RestartRecord>> StateDb::restart_records() {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kRestartColumns +
                                    " FROM container_restart ORDER BY id");
    if (!stmt) return impl_->fail(stmt.error(), "list restart states");
    std::vector<RestartRecord> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return impl_->fail(row.error(), "list restart states");
        if (!*row) return out;
        out.push_back(read_restart(*stmt));
    }
}

}  // namespace berth::daemon
