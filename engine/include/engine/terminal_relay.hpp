// Relaying the caller's terminal to a container's pty (berth-run --tty, berth-ctr exec -t).
#pragma once

#include <csignal>

namespace berth::engine {

// Our stdin (raw while relaying, when it is a terminal) <-> `master`, until the container's side
// hangs up. When `resized` is given, a SIGWINCH handler sets it and the new window size is passed
// on to the pty.
void relay_terminal(int master, volatile std::sig_atomic_t* resized = nullptr);

}  // namespace berth::engine
