// Start-up after a stop or a crash. Running containers need nothing: their monitors kept them
// running and logging, and their state is read from their folders. What a crash can leave
// half-done is settled here: a step left running is marked failed (the next `up` plans again
// from what exists), a record whose engine container was never made is dropped, and an engine
// container nobody recorded (the daemon died between the two) is removed. Containers that
// stopped while berthd was down are then given to their restart policy (RestartManager::resume,
// called by the service once its exit watch runs).
#include "adopt.hpp"

#include <cstdio>
#include <filesystem>
#include <set>

#include "images/images.hpp"

namespace berth::daemon {

Result<AdoptReport> adopt(DaemonContext& ctx) {
    AdoptReport report;
    auto steps = ctx.db->unfinished_steps();
    if (!steps) return steps.error();
    for (const auto& s : *steps) {
        (void)ctx.db->set_step_state(s.id, StepState::Failed, "interrupted: berthd stopped");
        ++report.interrupted_steps;
    }
    auto records = ctx.db->containers("");
    if (!records) return records.error();
    auto ids = ctx.runtime->list_ids();
    std::set<std::string> on_disk(ids.begin(), ids.end());
    std::set<std::string> known;
    for (const auto& c : *records) {
        known.insert(c.id);
        if (on_disk.count(c.id)) {
            ++report.adopted;
            continue;
        }
        std::error_code ec;
        std::filesystem::remove_all(ctx.container_data(c.id), ec);
        (void)images::remove_lease(*ctx.store, c.id);
        (void)ctx.db->remove_container(c.id);
        ++report.dropped_records;
    }
    for (const auto& id : ids) {
        if (known.count(id)) continue;
        if (auto r = ctx.runtime->remove(id, true); !r) {
            std::fprintf(stderr, "berthd: remove unrecorded container %s: %s\n", id.c_str(),
                         r.error().message().c_str());
            continue;
        }
        std::error_code ec;
        std::filesystem::remove_all(ctx.container_data(id), ec);
        (void)images::remove_lease(*ctx.store, id);
        ++report.removed_unknown;
    }
    return report;
}

}  // namespace berth::daemon
