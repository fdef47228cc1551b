// The options of `berth-ctr create`: every berth-run option (run_options.hpp) plus cgroup
// limits, the stop signal and timeout, and log rotation.
#pragma once

#include <getopt.h>

#include <csignal>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/cgroups.hpp"
#include "engine/spec.hpp"

namespace berth::engine {

struct CreateOptions {
    ContainerSpec spec;
    Resources resources;
    // --cpus as given; resources.cpu_quota is derived from it and the period once all options
    // are read, so --cpus 0.5 --cpu-period 50000 gives 25000 whatever the order.
    std::optional<double> cpus;
    int stop_signal = SIGTERM;
    double stop_timeout = 10;        // seconds
    std::uint64_t log_max_size = 0;  // 0: never rotate
    int log_max_file = 1;
};

// args: OPTIONS -- CMD [ARGS...] (everything after the container ID). Errors name the option and
// the accepted range, e.g. "--memory 1024: the minimum is 6291456 bytes (6 MiB)".
Result<CreateOptions> parse_create_options(const std::vector<std::string>& args);

// "0-2,4" -> highest CPU number named (4); an error for malformed lists.
Result<int> highest_cpu(const std::string& list);

// The smallest memory limit accepted, as Docker's (the kernel needs room for the process itself).
inline constexpr std::int64_t kMinMemory = 6 << 20;

const char* create_options_usage();

// The pieces of parse_create_options, for tools that take some of these options (berth-run takes
// the limits): ids lie from kRunOptionIdEnd up to kCreateOptionIdEnd.
inline constexpr int kCreateOptionIdEnd = 1024;
std::vector<option> limit_option_table();  // --memory ... --device-write-iops
Result<void> apply_create_option(int id, const std::string& arg, CreateOptions& o);
Result<void> finish_create_options(CreateOptions& o);  // derives the quota from --cpus

}  // namespace berth::engine
