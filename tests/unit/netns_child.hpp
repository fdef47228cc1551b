// Kernel tests run their body in a forked child with private network and mount namespaces and a
// fresh folder, so nothing they make reaches the host; the body returns 0, 1 (what failed is on
// stderr) or kSkipped when the kernel lacks what it needs.
#pragma once

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

#include "network/netns.hpp"
#include "step_support.hpp"

namespace test_support {

inline constexpr int kSkipped = 77;

// `require_empty`: the body must leave its folder empty (it removes what it pins).
inline void in_private_namespaces(const std::function<int(const std::string& dir)>& body,
                                  bool require_empty = false) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (namespaces, links, mounts)";
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) _exit(failed("unshare", "failed"));
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
            _exit(failed("make / private", "failed"));
        }
        char dir[] = "/tmp/berth-kernel-test-XXXXXX";
        if (!::mkdtemp(dir)) _exit(failed("mkdtemp", "failed"));
        int rc = body(dir);
        if (require_empty && ::rmdir(dir) != 0 && rc == 0) {
            rc = failed("rmdir " + std::string(dir), "not empty");
        }
        // What a failed or skipped body left: its pins first, which unlink alone cannot remove.
        std::error_code ignored;
        for (const auto& e : std::filesystem::directory_iterator(dir, ignored)) {
            (void)berth::network::remove_netns(e.path());
        }
        std::filesystem::remove_all(dir, ignored);
        _exit(rc);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == kSkipped) GTEST_SKIP() << "see the child's message above";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "see the child's message above";
}

}  // namespace test_support
