#include "volumes/local_mount.hpp"

#include <sys/mount.h>

#include <fstream>
#include <sstream>

namespace berth::volumes {

namespace {

// mountinfo escapes space, tab, newline and backslash as octal.
std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size()) {
            int v = 0;
            bool ok = true;
            for (int k = 1; k <= 3; ++k) {
                char c = s[i + k];
                if (c < '0' || c > '7') ok = false;
                v = v * 8 + (c - '0');
            }
            if (ok) {
                out += static_cast<char>(v);
                i += 3;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

}  // namespace

Result<void> mount_local(const LocalMount& m, const std::string& data) {
    const std::string what = "mount " + m.device + " on " + data;
    if (m.bind) {
        if (::mount(m.device.c_str(), data.c_str(), nullptr, MS_BIND | (m.flags & MS_REC),
                    nullptr) < 0) {
            return errno_error(what, errno);
        }
        if (m.flags & MS_RDONLY) {
            if (::mount(nullptr, data.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) <
                0) {
                int err = errno;
                ::umount2(data.c_str(), MNT_DETACH);
                return errno_error(what + " read-only", err);
            }
        }
        return {};
    }
    const unsigned long flags = m.flags & ~static_cast<unsigned long>(MS_BIND | MS_REC);
    if (::mount(m.device.c_str(), data.c_str(), m.type.c_str(), flags,
                m.data.empty() ? nullptr : m.data.c_str()) < 0) {
        return errno_error(what + " (type " + m.type + ")", errno);
    }
    return {};
}

bool is_mount_point(const std::string& path) {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string id, parent, devs, root, point;
        words >> id >> parent >> devs >> root >> point;
        if (unescape(point) == path) return true;
    }
    return false;
}

Result<void> unmount_local(const std::string& data) {
    if (!is_mount_point(data)) return {};
    if (::umount2(data.c_str(), MNT_DETACH) < 0) return errno_error("unmount " + data, errno);
    return {};
}

}  // namespace berth::volumes
