// The system calls of the identity and process steps, behind a table of plain function pointers
// so unit tests can record them without root. A table rather than a virtual interface: the
// child calls through it after clone, where plain calls are what async-signal safety asks for.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace berth::engine::detail {

struct SysCalls {
    int (*prctl)(int option, unsigned long arg2);
    int (*setgroups)(std::size_t n, const gid_t* groups);
    int (*setresgid)(gid_t gid);
    int (*setresuid)(uid_t uid);
    // Sets permitted and effective to `caps`, inheritable to `inheritable` (all 64 bits).
    int (*capset)(std::uint64_t caps, std::uint64_t inheritable);
    int (*sethostname)(const char* name, std::size_t len);
    int (*setdomainname)(const char* name, std::size_t len);
    int (*setrlimit)(int resource, std::uint64_t soft, std::uint64_t hard);
    int (*chdir)(const char* path);
    char* (*getcwd)(char* buf, std::size_t size);
};

// The table in use: the real calls, unless a test installed its own.
const SysCalls& sys();

// For unit tests; nullptr restores the real calls.
void set_sys_for_testing(const SysCalls* fake);

}  // namespace berth::engine::detail
