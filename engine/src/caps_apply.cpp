// The container's identity and capabilities, in the order runc's finalizeNamespace uses.
#include <errno.h>
#include <sys/prctl.h>

#include "process_setup.hpp"
#include "sync.hpp"
#include "sys.hpp"

namespace berth::engine::detail {
namespace {

bool has(CapMask mask, int cap) {
    return (mask >> cap) & 1U;
}

// Needs CAP_SETPCAP, so it runs while we still hold every capability.
bool drop_bounding_set(const ChildPlan& p) {
    for (int cap = 0; cap <= p.last_cap; ++cap) {
        if (has(p.caps, cap)) continue;
        if (sys().prctl(PR_CAPBSET_DROP, static_cast<unsigned long>(cap)) < 0 && errno != EINVAL) {
            return fail(Step::Capabilities, "bounding set");
        }
    }
    return true;
}

bool set_ids(const ChildPlan& p) {
    const ExecUser& u = p.user;
    if (sys().setgroups(u.groups.size(), u.groups.data()) < 0) return fail(Step::Setgroups);
    if (sys().setresgid(u.gid) < 0) return fail(Step::SetGid);
    if (sys().setresuid(u.uid) < 0) return fail(Step::SetId);
    return true;
}

// Permitted and effective become the container's set. Inheritable stays empty (as in Docker
// since CVE-2022-24769), so exec of a file with inheritable file caps gains nothing.
bool set_capabilities(const ChildPlan& p) {
    if (sys().capset(p.caps, 0) < 0) return fail(Step::Capabilities, "capset");
    if (sys().prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL) < 0 && errno != EINVAL) {
        return fail(Step::Capabilities, "ambient");
    }
    return true;
}

}  // namespace

bool drop_privileges(const ChildPlan& p) {
    if (!drop_bounding_set(p)) return false;
    // Keep the permitted set across the switch to a non-root uid; execve then recomputes it.
    if (sys().prctl(PR_SET_KEEPCAPS, 1) < 0) return fail(Step::Prctl, "PR_SET_KEEPCAPS");
    if (!set_ids(p)) return false;
    if (!set_capabilities(p)) return false;
    if (sys().prctl(PR_SET_KEEPCAPS, 0) < 0) return fail(Step::Prctl, "PR_SET_KEEPCAPS");
    // A credential change resets "dumpable" to suid_dumpable; keep /proc/<pid>/{exe,mem,fd} of
    // this pre-exec process closed to the container (CVE-2019-5736) until execve.
    if (sys().prctl(PR_SET_DUMPABLE, 0) < 0) return fail(Step::Prctl, "PR_SET_DUMPABLE");
    if (p.no_new_privs && sys().prctl(PR_SET_NO_NEW_PRIVS, 1) < 0) {
        return fail(Step::NoNewPrivs);
    }
    return true;
}

}  // namespace berth::engine::detail
