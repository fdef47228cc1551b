#include "flags.hpp"

#include <getopt.h>

namespace berth::daemon {
namespace {

enum Option {
    kConfigFile = 256,
    kDataRoot,
    kExecRoot,
    kLogLevel,
    kLogOpt,
    kPool,
    kDns,
    kStorageDriver,
    kInsecureTcp,
    kDebug,
    kHelp,
    kVersion,
};

const option kOptions[] = {
    {"config-file", required_argument, nullptr, kConfigFile},
    {"data-root", required_argument, nullptr, kDataRoot},
    {"exec-root", required_argument, nullptr, kExecRoot},
    {"log-level", required_argument, nullptr, kLogLevel},
    {"log-opt", required_argument, nullptr, kLogOpt},
    {"host", required_argument, nullptr, 'H'},
    {"default-address-pool", required_argument, nullptr, kPool},
    {"dns", required_argument, nullptr, kDns},
    {"storage-driver", required_argument, nullptr, kStorageDriver},
    {"allow-insecure-tcp", no_argument, nullptr, kInsecureTcp},
    {"debug", no_argument, nullptr, kDebug},
    {"help", no_argument, nullptr, kHelp},
    {"version", no_argument, nullptr, kVersion},
    {nullptr, 0, nullptr, 0},
};

void apply(int opt, const std::string& arg, ParsedFlags& out) {
    DaemonFlags& f = out.flags;
    switch (opt) {
        case kConfigFile:
            f.config_file = arg;
            break;
        case kDataRoot:
            f.data_root = arg;
            break;
        case kExecRoot:
            f.exec_root = arg;
            break;
        case kLogLevel:
            f.log_level = arg;
            break;
        case kLogOpt:
            f.log_opts.push_back(arg);
            break;
        case 'H':
            f.hosts.push_back(arg);
            break;
        case kPool:
            f.default_address_pools.push_back(arg);
            break;
        case kDns:
            f.dns.push_back(arg);
            break;
        case kStorageDriver:
            f.storage_driver = arg;
            break;
        case kInsecureTcp:
            f.allow_insecure_tcp = true;
            break;
        case kDebug:
            f.debug = true;
            break;
        case kHelp:
            out.help = true;
            break;
        case kVersion:
            out.version = true;
            break;
        default:
            break;
    }
}

}  // namespace

Result<ParsedFlags> parse_daemon_flags(int argc, char** argv) {
    ParsedFlags out;
    optind = 0;  // 0 also resets getopt's internal state, so tests may parse twice
    opterr = 0;
    for (;;) {
        int opt = getopt_long(argc, argv, ":H:Dh", kOptions, nullptr);
        if (opt == -1) break;
        if (opt == '?') return Error(std::string("unknown flag ") + argv[optind - 1]);
        if (opt == ':') return Error(std::string("flag ") + argv[optind - 1] + " needs a value");
        if (opt == 'D') opt = kDebug;
        if (opt == 'h') opt = kHelp;
        apply(opt, optarg ? optarg : "", out);
    }
    if (optind < argc) return Error(std::string("unexpected argument ") + argv[optind]);
    return out;
}

std::string daemon_usage() {
    return R"(Usage: berthd [OPTIONS]

The berth daemon: serves the berth API and runs the containers of compose projects.

Options:
      --config-file FILE           daemon.json to read (default /etc/berth/daemon.json)
      --data-root DIR              images, volumes, containers, state (default /var/lib/berth)
      --exec-root DIR              socket, pid file, runtime state (default /run/berth)
      --log-level LEVEL            debug, info, warn or error (default info)
      --log-opt KEY=VALUE          default container log options (max-size, max-file)
  -H, --host URL                   unix:///PATH or tcp://HOST:PORT to listen on (repeatable)
      --default-address-pool base=CIDR,size=PREFIX
                                   pools of network subnets (repeatable)
      --dns IP                     DNS servers for containers (repeatable)
      --storage-driver DRIVER      overlay2 or vfs
      --allow-insecure-tcp         allow a TCP host without TLS client certificates
  -D, --debug                      debug logging
  -h, --help                       this help
      --version                    print the version
)";
}

}  // namespace berth::daemon
