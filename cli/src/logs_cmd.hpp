// `berth logs`, and the log following `up` does in the foreground.
#pragma once

#include <csignal>

#include "log_render.hpp"
#include "verb_support.hpp"

namespace berth::cli {

struct LogQuery {
    bool follow = false;
    std::string tail = "all";
    std::string since, until;
    std::vector<std::string> services;
    int index = 0;  // 0: every container of the services
};

std::string logs_target(const std::string& project, const LogQuery& q);

// Prints the project's log lines on stdout until the stream ends. An Error with errno EINTR
// means `cancel` was raised.
Result<void> print_logs(const ApiClient& client, const std::string& project, const LogQuery& q,
                        LogStyle style, const volatile std::sig_atomic_t* cancel = nullptr);

void add_logs_command(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
