#include "volumes/volume.hpp"

#include <sys/mount.h>

#include <sstream>
#include <utility>

namespace berth::volumes {

namespace {

bool name_char(char c, bool first) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return !first && (c == '_' || c == '.' || c == '-');
}

// The words of mount(8)'s -o that are mount(2) flags; the rest go to the filesystem.
const std::map<std::string, std::pair<unsigned long, bool>>& flag_words() {
    static const std::map<std::string, std::pair<unsigned long, bool>> words{
        {"ro", {MS_RDONLY, true}},
        {"rw", {MS_RDONLY, false}},
        {"nosuid", {MS_NOSUID, true}},
        {"suid", {MS_NOSUID, false}},
        {"nodev", {MS_NODEV, true}},
        {"dev", {MS_NODEV, false}},
        {"noexec", {MS_NOEXEC, true}},
        {"exec", {MS_NOEXEC, false}},
        {"sync", {MS_SYNCHRONOUS, true}},
        {"async", {MS_SYNCHRONOUS, false}},
        {"noatime", {MS_NOATIME, true}},
        {"atime", {MS_NOATIME, false}},
        {"nodiratime", {MS_NODIRATIME, true}},
        {"relatime", {MS_RELATIME, true}},
        {"strictatime", {MS_STRICTATIME, true}},
        {"dirsync", {MS_DIRSYNC, true}},
        {"rbind", {MS_BIND | MS_REC, true}},
        {"bind", {MS_BIND, true}},
        {"defaults", {0, true}},
    };
    return words;
}

}  // namespace

Result<void> check_name(std::string_view name) {
    bool ok = !name.empty() && name.size() <= 255;
    for (std::size_t i = 0; ok && i < name.size(); ++i) ok = name_char(name[i], i == 0);
    if (!ok) {
        return Error("invalid volume name \"" + std::string(name) +
                     "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    return {};
}

std::string volume_dir(const std::string& root, const std::string& name) {
    return root + "/" + name;
}

std::string data_dir(const std::string& root, const std::string& name) {
    return volume_dir(root, name) + "/_data";
}

Result<void> check_driver(const std::string& volume, const std::string& driver) {
    if (driver.empty() || driver == "local") return {};
    return Error("volume \"" + volume + "\": driver \"" + driver +
                 "\" is not available (berth has only the local driver)");
}

Result<std::optional<LocalMount>> parse_local_options(
    const std::string& volume, const std::map<std::string, std::string>& options) {
    const std::string where = "volume \"" + volume + "\": driver_opts";
    for (const auto& [key, value] : options) {
        if (key != "type" && key != "device" && key != "o") {
            return Error(where + ": unknown option \"" + key +
                         "\" (the local driver takes type, device and o)");
        }
    }
    auto get = [&](const char* key) {
        auto it = options.find(key);
        return it == options.end() ? std::string() : it->second;
    };
    LocalMount m;
    m.type = get("type");
    m.device = get("device");
    const std::string o = get("o");
    if (m.type.empty() && m.device.empty() && o.empty()) return std::optional<LocalMount>();
    std::istringstream words(o);
    std::string word;
    while (std::getline(words, word, ',')) {
        if (word.empty()) continue;
        auto flag = flag_words().find(word);
        if (flag == flag_words().end()) {
            m.data += (m.data.empty() ? "" : ",") + word;
            continue;
        }
        if (flag->second.second) {
            m.flags |= flag->second.first;
        } else {
            m.flags &= ~flag->second.first;
        }
        if (word == "bind" || word == "rbind") m.bind = true;
    }
    if (m.type.empty() && !m.bind) return Error(where + ": \"type\" is missing");
    if (m.device.empty() && m.type != "tmpfs") return Error(where + ": \"device\" is missing");
    if (m.device.empty()) m.device = "tmpfs";
    if (m.bind && m.device[0] != '/') {
        return Error(where + ": a bind device must be an absolute path, not \"" + m.device + "\"");
    }
    return std::optional<LocalMount>(std::move(m));
}

}  // namespace berth::volumes
