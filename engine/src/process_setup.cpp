// UTS names, the loopback interface and the session, in the child.
#include "process_setup.hpp"

#include <errno.h>
#include <linux/keyctl.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "sync.hpp"
#include "sys.hpp"

namespace berth::engine::detail {

bool set_names(const ChildPlan& p) {
    if (!p.hostname.empty() && sys().sethostname(p.hostname.data(), p.hostname.size()) < 0) {
        return fail(Step::Hostname, p.hostname.c_str());
    }
    if (!p.domainname.empty() &&
        sys().setdomainname(p.domainname.data(), p.domainname.size()) < 0) {
        return fail(Step::Domainname, p.domainname.c_str());
    }
    return true;
}

bool bring_up_loopback() {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return fail(Step::Loopback, "lo");
    ifreq ifr{};
    std::memcpy(ifr.ifr_name, "lo", 3);
    bool ok = ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
    if (ok && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
        ok = ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
    }
    int saved = errno;
    close(s);
    return ok || fail(Step::Loopback, "lo", saved);
}

bool new_session(const ChildPlan& p) {
    if (setsid() < 0) return fail(Step::Setsid);
    // A fresh anonymous session keyring, so the container does not share the host's (runc does the
    // same). Kernels without keys, or a user out of key quota, just keep going.
    if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, nullptr) < 0 && errno != ENOSYS &&
        errno != EDQUOT) {
        return fail(Step::Setsid, "session keyring");
    }
    // The container's terminal becomes the session's controlling terminal, so job control and ^C
    // reach the container's processes.
    if (p.tty && ioctl(0, TIOCSCTTY, 0) < 0) return fail(Step::Setsid, "/dev/console");
    return true;
}

}  // namespace berth::engine::detail
