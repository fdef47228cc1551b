// For kernel tests that run their scenario in a forked child (private namespaces): each step
// returns non-zero from the child with what failed on stderr, since gtest's assertions do not
// reach the parent from there.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace test_support {

inline int failed(const std::string& what, const std::string& why) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), why.c_str());
    return 1;
}

// Runs body (which unshares what it needs) in a forked child and expects it to return 0.
inline void expect_child_succeeds(int (*body)()) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) _exit(body());
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "see the child's message above";
}

}  // namespace test_support

// A Result-returning expression that must succeed.
#define STEP(expr, what)                                                                    \
    do {                                                                                    \
        if (auto r_ = (expr); !r_) return test_support::failed(what, r_.error().message()); \
    } while (0)
// A condition that must hold.
#define CHECK(cond, what)                                                \
    do {                                                                 \
        if (!(cond)) return test_support::failed(what, "false: " #cond); \
    } while (0)
