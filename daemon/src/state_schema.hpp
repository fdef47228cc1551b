// The state database's schema, as a list of migrations applied in order and tracked in
// PRAGMA user_version.
#pragma once

#include "common/result.hpp"
#include "sqlite_db.hpp"

namespace berth::daemon {

// The user_version this build writes: the number of migrations it knows.
int state_schema_version();

// Brings the schema from the file's user_version up to state_schema_version(), one migration per
// transaction; refuses a file written by a newer build. Returns the version now in the file.
Result<int> migrate_state_schema(SqliteDb& db);

}  // namespace berth::daemon
