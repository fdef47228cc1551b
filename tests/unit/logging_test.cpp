#include "scheduler/logging.hpp"

#include <gtest/gtest.h>

#include "compose_support.hpp"

using namespace berth;

namespace {

compose::Node service_of(const std::string& yaml) {
    return *test_support::load_project(yaml).service("web");
}

}  // namespace

TEST(LogRotation, ServiceOptionsOverTheDaemonDefaults) {
    scheduler::LogRotation defaults{1 << 20, 2};
    auto plain =
        scheduler::log_rotation_of(service_of("services:\n  web:\n    image: x\n"), defaults);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->max_size, 1u << 20);
    EXPECT_EQ(plain->max_file, 2);
    auto own = scheduler::log_rotation_of(
        service_of(
            "services:\n  web:\n    image: x\n    logging:\n      options:\n        max-size: 10m\n"
            "        max-file: '3'\n"),
        defaults);
    ASSERT_TRUE(own);
    EXPECT_EQ(own->max_size, 10u << 20);
    EXPECT_EQ(own->max_file, 3);
}

TEST(LogRotation, OtherDriversKeepTheDefaultsAndBadValuesAreErrors) {
    auto syslog = scheduler::log_rotation_of(
        service_of(
            "services:\n  web:\n    image: x\n    logging:\n      driver: syslog\n      options:\n"
            "        max-size: 10m\n"),
        {});
    ASSERT_TRUE(syslog);
    EXPECT_EQ(syslog->max_size, 0u);
    auto bad =
        scheduler::log_rotation_of(service_of("services:\n  web:\n    image: x\n    logging:\n     "
                                              " options:\n        max-file: none\n"),
                                   {});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message().find("<stdin>:6:19: logging.options.max-file \"none\""),
              std::string::npos)
        << bad.error().message();
}
