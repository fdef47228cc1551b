// Reaching berthd: a ping, and when nothing answers on a local socket, berthd started next to
// berth, the way a user expects `berth up` to just work after installing both.
#pragma once

#include <string>

#include "api_client.hpp"
#include "common/result.hpp"

namespace berth::cli {

// The last `max_lines` lines of `text` (pure; used on the daemon's log).
std::string tail_lines(const std::string& text, std::size_t max_lines);

// Pings berthd; on a Unix socket that is missing or refuses (ENOENT, ECONNREFUSED) it starts
// berthd unless BERTH_NO_AUTOSTART is set, and waits up to 10 s for it to answer. A socket the
// user may not open (EACCES) gets a message naming the berth group, and no start.
Result<void> ensure_daemon(const ApiClient& client);

}  // namespace berth::cli
