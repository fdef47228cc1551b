#include "sys.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace berth::engine::detail {
namespace {

int real_prctl(int option, unsigned long arg2) {
    return prctl(option, arg2, 0, 0, 0);
}

int real_setgroups(std::size_t n, const gid_t* groups) {
    return setgroups(n, groups);
}

int real_setresgid(gid_t gid) {
    return setresgid(gid, gid, gid);
}

int real_setresuid(uid_t uid) {
    return setresuid(uid, uid, uid);
}

int real_capset(std::uint64_t caps, std::uint64_t inheritable) {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    for (int i = 0; i < 2; ++i) {
        const int shift = 32 * i;
        data[i].permitted = data[i].effective = static_cast<std::uint32_t>(caps >> shift);
        data[i].inheritable = static_cast<std::uint32_t>(inheritable >> shift);
    }
    return static_cast<int>(syscall(SYS_capset, &hdr, data));
}

int real_setrlimit(int resource, std::uint64_t soft, std::uint64_t hard) {
    rlimit lim{static_cast<rlim_t>(soft), static_cast<rlim_t>(hard)};
    return setrlimit(static_cast<__rlimit_resource>(resource), &lim);
}

int real_chdir(const char* path) {
    return chdir(path);
}

char* real_getcwd(char* buf, std::size_t size) {
    return getcwd(buf, size);
}

int real_sethostname(const char* name, std::size_t len) {
    return sethostname(name, len);
}

int real_setdomainname(const char* name, std::size_t len) {
    return setdomainname(name, len);
}

constexpr SysCalls kReal = {
    real_prctl,       real_setgroups,     real_setresgid, real_setresuid, real_capset,
    real_sethostname, real_setdomainname, real_setrlimit, real_chdir,     real_getcwd,
};

const SysCalls* g_sys = &kReal;

}  // namespace

const SysCalls& sys() {
    return *g_sys;
}

void set_sys_for_testing(const SysCalls* fake) {
    g_sys = fake ? fake : &kReal;
}

}  // namespace berth::engine::detail
