// The image store's layer unpacker and its copy driver change the working directory while they
// run (libarchive resolves names against it). In a multi-threaded daemon that would move every
// thread's; a thread that calls this first gets a filesystem context of its own.
#pragma once

#include "common/result.hpp"

namespace berth::daemon {

// unshare(CLONE_FS) once per thread; later calls on the same thread do nothing.
Result<void> private_cwd();

}  // namespace berth::daemon
