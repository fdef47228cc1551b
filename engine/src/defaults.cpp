#include "engine/defaults.hpp"

namespace berth::engine {

const std::vector<std::string>& default_masked_paths() {
    static const std::vector<std::string> paths = {
        "/proc/asound",     "/proc/acpi",        "/proc/interrupts",
        "/proc/kcore",      "/proc/keys",        "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
        "/proc/scsi",       "/sys/firmware",     "/sys/devices/virtual/powercap",
    };
    return paths;
}

const std::vector<std::string>& default_readonly_paths() {
    static const std::vector<std::string> paths = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    };
    return paths;
}

const std::vector<DeviceNode>& default_devices() {
    static const std::vector<DeviceNode> devices = {
        {"/dev/null", 'c', 1, 3},   {"/dev/zero", 'c', 1, 5},    {"/dev/full", 'c', 1, 7},
        {"/dev/random", 'c', 1, 8}, {"/dev/urandom", 'c', 1, 9}, {"/dev/tty", 'c', 5, 0},
    };
    return devices;
}

const std::vector<Symlink>& default_dev_symlinks() {
    static const std::vector<Symlink> links = {
        {"/proc/self/fd", "/dev/fd"},       {"/proc/self/fd/0", "/dev/stdin"},
        {"/proc/self/fd/1", "/dev/stdout"}, {"/proc/self/fd/2", "/dev/stderr"},
        {"pts/ptmx", "/dev/ptmx"},
    };
    return links;
}

}  // namespace berth::engine
