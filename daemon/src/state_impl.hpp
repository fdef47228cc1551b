// StateDb's private half, shared by the files that implement its parts (state.cpp,
// state_restart.cpp).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/state.hpp"
#include "sqlite_db.hpp"

namespace berth::daemon {

struct StateDb::Impl {
    std::mutex mu;
    SqliteDb db;
    std::string path;
    int version = 0;
    // Container listings by project ("" = all), dropped on every write to the containers table:
    // `ps` and the exit watch list them far more often than they change, and decoding each row's
    // JSON columns costs more than the query.
    std::map<std::string, std::vector<ContainerRecord>> listings;

    // Every error names the file, so a message from a daemon with several roots is unambiguous.
    Error fail(Error e, const std::string& what) const {
        return e.context(what).context("state " + path);
    }
};

// Every row the statement yields, each read by `read`.
template <typename T, typename Read>
Result<std::vector<T>> read_all(Statement& s, Read read) {
    std::vector<T> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!row.value()) return out;
        out.push_back(read(s));
    }
}

}  // namespace berth::daemon
