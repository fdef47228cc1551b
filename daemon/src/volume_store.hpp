// berthd's volumes: the folders under <data-root>/volumes (volumes/volume.hpp lays them out) and
// their records in the state database; the project's volumes made before its containers, the
// external ones checked before anything is made, and `down -v`.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/project.hpp"
#include "daemon/state.hpp"
#include "daemon_context.hpp"
#include "progress.hpp"

namespace berth::daemon {

std::string volumes_root(const DaemonContext& ctx);

// A new volume: its folder and its record, or nothing on failure. A name taken is an error
// unless `exist_ok` (then the existing record is returned).
Result<VolumeRecord> create_volume(DaemonContext& ctx, VolumeRecord v, bool exist_ok = false);
// Refused while a container mounts it, naming the container, as Docker does.
Result<void> remove_volume(DaemonContext& ctx, const std::string& name);

// When berthd starts: the volumes with driver options have their filesystems mounted again (a
// reboot took them). Failures are logged; the containers that need them fail with the reason.
void restore_volumes(DaemonContext& ctx);

// Every external volume of the project exists: `up` and `run` check this before they make
// anything ("external volume \"x\" not found").
Result<void> check_project_volumes(DaemonContext& ctx, const compose::Project& project);
// Makes the project's volumes that do not exist yet.
Result<void> ensure_project_volumes(DaemonContext& ctx, const compose::Project& project,
                                    Progress* progress);
// `down -v`: the project's named volumes (never external ones) and its anonymous ones; a volume
// still in use is kept with a warning.
void remove_project_volumes(DaemonContext& ctx, const std::string& project,
                            const compose::Project* model, Progress& progress);

// The missing host folders of the service's binds that ask for them (the short syntax, and
// `bind.create_host_path`, which is true unless set false), made as Docker makes them: 0755,
// owned by root. A long-syntax bind without `bind:` must exist.
Result<void> create_bind_sources(const compose::Node& service);

// The folder a container binds for `source` (a key of the project's `volumes:`, or "" for an
// anonymous volume, which is made here and appended to `made`).
Result<std::string> volume_folder(DaemonContext& ctx, const compose::Project& project,
                                  const std::string& source, std::vector<std::string>& made);

}  // namespace berth::daemon
