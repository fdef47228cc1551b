#include "state_schema.hpp"

#include <array>

namespace berth::daemon {

namespace {

// Migration N takes the schema from user_version N-1 to N. Append new ones; never edit one that
// has shipped, since files in the field have already run it.
constexpr std::array kMigrations = {
    // 1: the first schema.
    R"sql(
CREATE TABLE projects (
    name         TEXT PRIMARY KEY,
    model_json   TEXT NOT NULL,
    config_files TEXT NOT NULL DEFAULT '[]',
    working_dir  TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL
);
CREATE TABLE containers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    project     TEXT NOT NULL,
    service     TEXT NOT NULL,
    number      INTEGER NOT NULL,
    oneoff      INTEGER NOT NULL DEFAULT 0,
    config_hash TEXT NOT NULL DEFAULT '',
    image       TEXT NOT NULL DEFAULT '',
    image_id    TEXT NOT NULL DEFAULT '',
    command     TEXT NOT NULL DEFAULT '[]',
    labels      TEXT NOT NULL DEFAULT '{}',
    created     INTEGER NOT NULL
);
CREATE INDEX containers_project ON containers(project);
-- AUTOINCREMENT: a seq is never reused after trim_events, so a client resuming from a seq it
-- saw never misses or repeats an event.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    time_nano  INTEGER NOT NULL,
    type       TEXT NOT NULL,
    action     TEXT NOT NULL,
    id         TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_time ON events(time_nano);
CREATE TABLE plan_steps (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id TEXT NOT NULL,
    project TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    target  TEXT NOT NULL,
    state   TEXT NOT NULL,
    error   TEXT NOT NULL DEFAULT '',
    updated INTEGER NOT NULL
);
CREATE INDEX plan_steps_state ON plan_steps(state);
)sql",
    // 2: the images berthd knows, with what the image store does not keep: when berthd last gave
    // an image a name, and when a container was last created from it.
    R"sql(
CREATE TABLE images (
    id            TEXT PRIMARY KEY,
    names         TEXT NOT NULL DEFAULT '[]',
    created       TEXT NOT NULL DEFAULT '',
    size          INTEGER NOT NULL DEFAULT 0,
    last_tag_time TEXT NOT NULL DEFAULT '',
    last_used     INTEGER NOT NULL DEFAULT 0
);
)sql",
    // 3: restart policies, fixed when a container is made, and what dockerd's restart manager
    // keeps across daemon restarts. The row goes with its container.
    R"sql(
CREATE TABLE container_restart (
    id               TEXT PRIMARY KEY,
    policy           TEXT NOT NULL DEFAULT 'no',
    stop_signal      TEXT NOT NULL DEFAULT '',
    restart_count    INTEGER NOT NULL DEFAULT 0,
    manually_stopped INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER container_restart_gone AFTER DELETE ON containers
BEGIN
    DELETE FROM container_restart WHERE id = old.id;
END;
)sql",
    // 4: a container's effective healthcheck, fixed when it is created, and its last health state
    // (status, failing streak, log), both as JSON; the row goes with the container's.
    R"sql(
CREATE TABLE container_health (
    id     TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    state  TEXT NOT NULL DEFAULT ''
);
)sql",
    // 5: networks, each container's place on them, and its published ports: what berthd made in
    // the kernel, so that it can be rebuilt when berthd starts and undone by down. Endpoints and
    // ports are removed by the network manager, which tears down the links first.
    R"sql(
CREATE TABLE networks (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    driver  TEXT NOT NULL,
    project TEXT NOT NULL DEFAULT '',
    spec    TEXT NOT NULL,
    ipam    TEXT NOT NULL,
    link    TEXT NOT NULL DEFAULT '',
    created INTEGER NOT NULL
);
CREATE TABLE endpoints (
    container_id TEXT NOT NULL,
    network_id   TEXT NOT NULL,
    ifname       TEXT NOT NULL,
    host_link    TEXT NOT NULL DEFAULT '',
    mac          TEXT NOT NULL DEFAULT '',
    ipv4         TEXT NOT NULL DEFAULT '',
    ipv6         TEXT NOT NULL DEFAULT '',
    aliases      TEXT NOT NULL DEFAULT '[]',
    position     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (container_id, network_id)
);
CREATE INDEX endpoints_network ON endpoints(network_id);
CREATE TABLE published_ports (
    container_id   TEXT NOT NULL,
    protocol       TEXT NOT NULL,
    host_ip        TEXT NOT NULL DEFAULT '',
    host_port      INTEGER NOT NULL,
    container_port INTEGER NOT NULL,
    PRIMARY KEY (container_id, protocol, host_ip, host_port)
);
)sql",
    // 6: volumes, and which container mounts which (a volume in use is not removed).
    R"sql(
CREATE TABLE volumes (
    name      TEXT PRIMARY KEY,
    driver    TEXT NOT NULL DEFAULT 'local',
    options   TEXT NOT NULL DEFAULT '{}',
    labels    TEXT NOT NULL DEFAULT '{}',
    project   TEXT NOT NULL DEFAULT '',
    anonymous INTEGER NOT NULL DEFAULT 0,
    created   INTEGER NOT NULL
);
CREATE TABLE volume_mounts (
    container_id TEXT NOT NULL,
    volume       TEXT NOT NULL,
    target       TEXT NOT NULL,
    PRIMARY KEY (container_id, target)
);
CREATE INDEX volume_mounts_volume ON volume_mounts(volume);
)sql",
};

Result<void> apply(SqliteDb& db, int version) {
    // IMMEDIATE takes the write lock up front, and the version is read again under it, so two
    // daemons opening one file at once do not both run the same migration.
    if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) return begun.error();
    auto current = db.query_int("PRAGMA user_version");
    Result<void> applied = current ? Result<void>() : Result<void>(current.error());
    if (applied && current.value() < version) {
        applied = db.exec(kMigrations[static_cast<std::size_t>(version - 1)]);
        if (applied) applied = db.exec("PRAGMA user_version = " + std::to_string(version));
    }
    if (applied) applied = db.exec("COMMIT");
    if (!applied) {
        (void)db.exec("ROLLBACK");
        return applied.error();
    }
    return {};
}

}  // namespace

int state_schema_version() {
    return static_cast<int>(kMigrations.size());
}

Result<int> migrate_state_schema(SqliteDb& db) {
    auto current = db.query_int("PRAGMA user_version");
    if (!current) return current.error();
    int version = static_cast<int>(current.value());
    if (version > state_schema_version()) {
        return Error("schema version " + std::to_string(version) + " is newer than version " +
                     std::to_string(state_schema_version()) +
                     ", the newest this berthd knows: run a newer berthd, or move the file away");
    }
    for (int next = version + 1; next <= state_schema_version(); ++next) {
        if (auto applied = apply(db, next); !applied) {
            return applied.error().context("migrate schema to version " + std::to_string(next));
        }
    }
    return state_schema_version();
}

}  // namespace berth::daemon
