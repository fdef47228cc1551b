// StateDb's private half, shared by the files that implement its parts (state.cpp,
// state_restart.cpp).
#pragma once

#include <mutex>
#include <string>

#include "daemon/state.hpp"
#include "sqlite_db.hpp"

namespace berth::daemon {

struct StateDb::Impl {
    std::mutex mu;
    SqliteDb db;
    std::string path;
    int version = 0;

    // Every error names the file, so a message from a daemon with several roots is unambiguous.
    Error fail(Error e, const std::string& what) const {
        return e.context(what).context("state " + path);
    }
};

}  // namespace berth::daemon
