#include "private_cwd.hpp"

#include <sched.h>

#include <cerrno>

namespace berth::daemon {

Result<void> private_cwd() {
    thread_local bool done = false;
    if (done) return {};
    if (::unshare(CLONE_FS) != 0) return errno_error("unshare(CLONE_FS)", errno);
    done = true;
    return {};
}

}  // namespace berth::daemon
