// Settling the state a previous berthd left (adopt.cpp).
#pragma once

#include "daemon_context.hpp"

namespace berth::daemon {

struct AdoptReport {
    int adopted = 0;            // recorded containers whose engine container exists
    int dropped_records = 0;    // records without an engine container
    int removed_unknown = 0;    // engine containers without a record
    int interrupted_steps = 0;  // plan steps a crash left unfinished
};

Result<AdoptReport> adopt(DaemonContext& ctx);

}  // namespace berth::daemon
