// For kernel tests that run their scenario in a forked child (private namespaces): each step
// returns non-zero from the child with what failed on stderr, since gtest's assertions do not
// reach the parent from there.
#pragma once

#include <cstdio>
#include <string>

namespace test_support {

inline int failed(const std::string& what, const std::string& why) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), why.c_str());
    return 1;
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
