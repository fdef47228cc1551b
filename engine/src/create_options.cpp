// Parsing of `berth-ctr create` options: the shared run options plus the lifecycle ones.
#include "engine/create_options.hpp"

#include <getopt.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "common/strings.hpp"
#include "engine/run_options.hpp"
#include "engine/signals.hpp"

namespace berth::engine {
namespace {

enum CtrOpt {
    kMemory = kRunOptionIdEnd,
    kMemoryReservation,
    kMemorySwap,
    kCpus,
    kCpuShares,
    kCpuPeriod,
    kCpuQuota,
    kCpusetCpus,
    kCpusetMems,
    kPidsLimit,
    kBlkioWeight,
    kBlkioWeightDevice,
    kReadBps,
    kWriteBps,
    kReadIops,
    kWriteIops,
    kStopSignal,
    kStopTimeout,
    kLogMaxSize,
    kLogMaxFile,
};

const option kCtrOptions[] = {
    {"memory", required_argument, nullptr, kMemory},
    {"memory-reservation", required_argument, nullptr, kMemoryReservation},
    {"memory-swap", required_argument, nullptr, kMemorySwap},
    {"cpus", required_argument, nullptr, kCpus},
    {"cpu-shares", required_argument, nullptr, kCpuShares},
    {"cpu-period", required_argument, nullptr, kCpuPeriod},
    {"cpu-quota", required_argument, nullptr, kCpuQuota},
    {"cpuset-cpus", required_argument, nullptr, kCpusetCpus},
    {"cpuset-mems", required_argument, nullptr, kCpusetMems},
    {"pids-limit", required_argument, nullptr, kPidsLimit},
    {"blkio-weight", required_argument, nullptr, kBlkioWeight},
    {"blkio-weight-device", required_argument, nullptr, kBlkioWeightDevice},
    {"device-read-bps", required_argument, nullptr, kReadBps},
    {"device-write-bps", required_argument, nullptr, kWriteBps},
    {"device-read-iops", required_argument, nullptr, kReadIops},
    {"device-write-iops", required_argument, nullptr, kWriteIops},
    {"stop-signal", required_argument, nullptr, kStopSignal},
    {"stop-timeout", required_argument, nullptr, kStopTimeout},
    {"log-max-size", required_argument, nullptr, kLogMaxSize},
    {"log-max-file", required_argument, nullptr, kLogMaxFile},
};

// A whole decimal number with an optional k/m/g suffix (powers of 1024), as docker accepts.
Result<std::int64_t> parse_size(const std::string& opt, const std::string& s) {
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    std::int64_t mult = 1;
    if (end && *end && end[1] == '\0') {
        switch (*end | 0x20) {
            case 'b':
                mult = 1;
                break;
            case 'k':
                mult = 1LL << 10;
                break;
            case 'm':
                mult = 1LL << 20;
                break;
            case 'g':
                mult = 1LL << 30;
                break;
            default:
                mult = 0;
        }
        if (mult) ++end;
    }
    if (s.empty() || errno || mult == 0 || *end != '\0') {
        return Error("--" + opt + " \"" + s + "\": want a whole number of bytes (k, m, g allowed)");
    }
    return static_cast<std::int64_t>(v) * mult;
}

Result<std::int64_t> parse_int(const std::string& opt, const std::string& s, std::int64_t lo,
                               std::int64_t hi) {
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || errno || *end != '\0' || v < lo || v > hi) {
        return Error("--" + opt + " \"" + s + "\": want a whole number from " + std::to_string(lo) +
                     " to " + std::to_string(hi));
    }
    return static_cast<std::int64_t>(v);
}

Result<double> parse_positive_double(const std::string& opt, const std::string& s) {
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !std::isfinite(v) || v < 0) {
        return Error("--" + opt + " \"" + s + "\": want a number of 0 or more");
    }
    return v;
}

// DEV:VALUE with VALUE through parse (a size for bps, an integer otherwise).
template <typename Parse>
Result<std::pair<std::string, std::int64_t>> parse_device_value(const std::string& opt,
                                                                const std::string& s, Parse p) {
    auto colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        return Error("--" + opt + " \"" + s + "\": want DEVICE:VALUE, e.g. /dev/sda:1m");
    }
    auto v = p(s.substr(colon + 1));
    if (!v) return v.error();
    return std::pair{s.substr(0, colon), *v};
}

Result<void> apply_memory(int id, const std::string& arg, Resources& r) {
    const char* name = id == kMemory              ? "memory"
                       : id == kMemoryReservation ? "memory-reservation"
                                                  : "memory-swap";
    if (id == kMemorySwap && arg == "-1") {
        r.memory_swap = -1;
        return {};
    }
    auto v = parse_size(name, arg);
    if (!v) return v.error();
    if (id == kMemory && *v < kMinMemory) {
        return Error("--memory " + arg + ": the minimum is " + std::to_string(kMinMemory) +
                     " bytes (6 MiB)");
    }
    (id == kMemory              ? r.memory
     : id == kMemoryReservation ? r.memory_reservation
                                : r.memory_swap) = *v;
    return {};
}

Result<void> apply_cpu(int id, const std::string& arg, CreateOptions& o) {
    Resources& r = o.resources;
    if (id == kCpus) {
        auto v = parse_positive_double("cpus", arg);
        if (!v) return v.error();
        o.cpus = *v;
        return {};
    }
    if (id == kCpuShares) {
        auto v = parse_int("cpu-shares", arg, 2, 262144);
        if (!v) return v.error();
        r.cpu_shares = static_cast<std::uint64_t>(*v);
    } else if (id == kCpuPeriod) {
        // The kernel's bounds for cpu.cfs_period_us: 1 ms to 1 s.
        auto v = parse_int("cpu-period", arg, 1000, 1000000);
        if (!v) return v.error();
        r.cpu_period = static_cast<std::uint64_t>(*v);
    } else {
        auto v = parse_int("cpu-quota", arg, -1, INT64_MAX / 1000);
        if (!v) return v.error();
        if (*v >= 0 && *v < 1000)
            return Error("--cpu-quota " + arg + ": the minimum is 1000 (1 ms)");
        r.cpu_quota = *v;
    }
    return {};
}

Result<void> apply_blkio(int id, const std::string& arg, Resources& r) {
    if (id == kBlkioWeight) {
        auto v = parse_int("blkio-weight", arg, 10, 1000);
        if (!v) return v.error();
        r.blkio_weight = static_cast<std::uint16_t>(*v);
        return {};
    }
    if (id == kBlkioWeightDevice) {
        auto v = parse_device_value("blkio-weight-device", arg, [&](const std::string& s) {
            return parse_int("blkio-weight-device", s, 10, 1000);
        });
        if (!v) return v.error();
        r.blkio_weight_device.push_back({v->first, static_cast<std::uint16_t>(v->second)});
        return {};
    }
    const bool bps = id == kReadBps || id == kWriteBps;
    const char* name = id == kReadBps    ? "device-read-bps"
                       : id == kWriteBps ? "device-write-bps"
                       : id == kReadIops ? "device-read-iops"
                                         : "device-write-iops";
    auto v = parse_device_value(name, arg, [&](const std::string& s) {
        return bps ? parse_size(name, s) : parse_int(name, s, 0, INT64_MAX);
    });
    if (!v) return v.error();
    auto& list = id == kReadBps    ? r.read_bps
                 : id == kWriteBps ? r.write_bps
                 : id == kReadIops ? r.read_iops
                                   : r.write_iops;
    list.push_back({v->first, static_cast<std::uint64_t>(v->second)});
    return {};
}

}  // namespace

Result<void> apply_create_option(int id, const std::string& arg, CreateOptions& o) {
    Resources& r = o.resources;
    switch (id) {
        case kMemory:
        case kMemoryReservation:
        case kMemorySwap:
            return apply_memory(id, arg, r);
        case kCpus:
        case kCpuShares:
        case kCpuPeriod:
        case kCpuQuota:
            return apply_cpu(id, arg, o);
        case kCpusetCpus: {
            auto v = highest_cpu(arg);
            if (!v) return v.error();
            r.cpuset_cpus = arg;
            return {};
        }
        case kCpusetMems: {
            auto v = highest_cpu(arg);
            if (!v) return Error("--cpuset-mems \"" + arg + "\": want a list such as 0 or 0-1");
            r.cpuset_mems = arg;
            return {};
        }
        case kPidsLimit: {
            auto v = parse_int("pids-limit", arg, -1, INT32_MAX);
            if (!v) return v.error();
            r.pids_limit = *v;
            return {};
        }
        case kStopSignal: {
            auto v = parse_signal(arg);
            if (!v) return v.error();
            o.stop_signal = *v;
            return {};
        }
        case kStopTimeout: {
            auto v = parse_positive_double("stop-timeout", arg);
            if (!v) return v.error();
            o.stop_timeout = *v;
            return {};
        }
        case kLogMaxSize: {
            auto v = parse_size("log-max-size", arg);
            if (!v || *v < 0) return v ? Error("--log-max-size must be 0 or more") : v.error();
            o.log_max_size = static_cast<std::uint64_t>(*v);
            return {};
        }
        case kLogMaxFile: {
            auto v = parse_int("log-max-file", arg, 1, 1000);
            if (!v) return v.error();
            o.log_max_file = static_cast<int>(*v);
            return {};
        }
        default:
            return apply_blkio(id, arg, r);
    }
}

std::vector<option> limit_option_table() {
    std::vector<option> out;
    for (const option& o : kCtrOptions) {
        if (o.val >= kMemory && o.val <= kWriteIops) out.push_back(o);
    }
    return out;
}

Result<void> finish_create_options(CreateOptions& out) {
    if (out.cpus && *out.cpus > 0) {  // 0, as in docker, means no limit
        auto& r = out.resources;
        if (r.cpu_quota) return Error("--cpus and --cpu-quota exclude each other");
        const std::uint64_t period = r.cpu_period.value_or(100000);
        r.cpu_period = period;
        r.cpu_quota =
            static_cast<std::int64_t>(std::llround(*out.cpus * static_cast<double>(period)));
    }
    return {};
}

Result<int> highest_cpu(const std::string& list) {
    int highest = -1;
    auto bad = [&] { return Error("--cpuset-cpus \"" + list + "\": want a list such as 0-2,4"); };
    if (list.empty()) return bad();
    for (const auto& part : split(list, ",")) {
        auto dash = part.find('-');
        for (const auto& n : split(part, "-")) {
            char* end = nullptr;
            long v = std::strtol(n.c_str(), &end, 10);
            if (n.empty() || *end != '\0' || v < 0 || v > 8191) return bad();
            highest = std::max(highest, static_cast<int>(v));
        }
        if (dash != std::string::npos && split(part, "-").size() != 2) return bad();
    }
    return highest;
}

Result<CreateOptions> parse_create_options(const std::vector<std::string>& args) {
    auto table = run_option_table();
    table.insert(table.end(), std::begin(kCtrOptions), std::end(kCtrOptions));
    table.push_back({nullptr, 0, nullptr, 0});
    std::vector<char*> argv{const_cast<char*>("create")};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int argc = static_cast<int>(argv.size()) - 1;

    CreateOptions out;
    RunOptions run;
    optind = 0;  // GNU getopt: 0 re-initialises, so one process can parse twice
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv.data(), "+", table.data(), nullptr)) != -1) {
        if (opt == '?' || opt == ':') {
            return Error(std::string("unknown option or missing value: ") + argv[optind - 1]);
        }
        const std::string arg = optarg ? optarg : "";
        auto r = opt < kRunOptionIdEnd ? apply_run_option(opt, arg, run)
                                       : apply_create_option(opt, arg, out);
        if (!r) return r.error();
    }
    if (auto done = finish_create_options(out); !done) return done.error();
    std::vector<std::string> cmd(args.begin() + (optind - 1), args.end());
    if (cmd.empty()) return Error("no command given (create ID [OPTIONS] -- CMD [ARGS...])");
    auto spec = finish_run_options(std::move(run), std::move(cmd));
    if (!spec) return spec.error();
    out.spec = std::move(*spec);
    return out;
}

const char* create_options_usage() {
    return "  --memory BYTES --memory-reservation BYTES --memory-swap BYTES|-1 --cpus FLOAT\n"
           "  --cpu-shares N --cpu-period US --cpu-quota US --cpuset-cpus LIST --cpuset-mems LIST\n"
           "  --pids-limit N --blkio-weight N --blkio-weight-device DEV:W\n"
           "  --device-read-bps DEV:RATE --device-write-bps DEV:RATE --device-read-iops DEV:N\n"
           "  --device-write-iops DEV:N --stop-signal SIG --stop-timeout SECS\n"
           "  --log-max-size BYTES --log-max-file N\n";
}

}  // namespace berth::engine
