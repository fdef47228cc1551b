#include "engine/users.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace berth::engine {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        const auto pos = s.find(sep, start);
        out.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
        if (pos == std::string_view::npos) return out;
        start = pos + 1;
    }
}

// Ids must fit in 0..2^31-1 (runc rejects larger ones; the kernel reserves -1).
std::optional<std::uint32_t> parse_id(std::string_view s) {
    std::uint32_t v = 0;
    const auto* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, v);
    if (s.empty() || ec != std::errc() || p != end || v > 0x7fffffffu) return std::nullopt;
    return v;
}

template <typename F>
void for_each_line(std::string_view text, F&& f) {
    for (auto line : split(text, '\n')) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        f(line);
    }
}

Error no_user(const std::string& what) {
    return Error("unable to find user " + what + ": no matching entries in passwd file");
}

Error no_group(const std::string& what) {
    return Error("unable to find group " + what + ": no matching entries in group file");
}

const GroupEntry* find_group(const std::string& arg, const std::vector<GroupEntry>& groups) {
    const auto id = parse_id(arg);
    for (const auto& g : groups) {
        if (g.name == arg || (id && g.gid == *id)) return &g;
    }
    return nullptr;
}

Result<gid_t> group_id(const std::string& arg, const std::vector<GroupEntry>& groups) {
    if (const auto* g = find_group(arg, groups)) return g->gid;
    if (auto id = parse_id(arg)) return static_cast<gid_t>(*id);
    return no_group(arg);
}

void add_unique(std::vector<gid_t>& v, gid_t gid) {
    if (std::find(v.begin(), v.end(), gid) == v.end()) v.push_back(gid);
}

}  // namespace

std::vector<PasswdEntry> parse_passwd(std::string_view text) {
    std::vector<PasswdEntry> out;
    for_each_line(text, [&](std::string_view line) {
        const auto f = split(line, ':');
        if (f.size() < 7) return;
        auto uid = parse_id(f[2]);
        auto gid = parse_id(f[3]);
        if (f[0].empty() || !uid || !gid) return;
        out.push_back({std::string(f[0]), *uid, *gid, std::string(f[5]), std::string(f[6])});
    });
    return out;
}

std::vector<GroupEntry> parse_group(std::string_view text) {
    std::vector<GroupEntry> out;
    for_each_line(text, [&](std::string_view line) {
        const auto f = split(line, ':');
        if (f.size() < 4) return;
        auto gid = parse_id(f[2]);
        if (f[0].empty() || !gid) return;
        GroupEntry g{std::string(f[0]), *gid, {}};
        for (auto m : split(f[3], ',')) {
            if (!m.empty()) g.members.emplace_back(m);
        }
        out.push_back(std::move(g));
    });
    return out;
}

Result<ExecUser> resolve_user(const std::string& user,
                              const std::vector<std::string>& additional_groups,
                              const std::vector<PasswdEntry>& passwd,
                              const std::vector<GroupEntry>& groups) {
    const auto colon = user.find(':');
    // An empty user means root, looked up like any uid so HOME comes from passwd.
    const std::string user_arg =
        colon == 0 || user.empty() ? std::string(1, '0') : user.substr(0, colon);
    const std::string group_arg = colon == std::string::npos ? "" : user.substr(colon + 1);

    ExecUser out;
    const auto uid = parse_id(user_arg);
    const auto it = std::find_if(passwd.begin(), passwd.end(), [&](const PasswdEntry& p) {
        return p.name == user_arg || (uid && p.uid == *uid);
    });
    if (it != passwd.end()) {
        out.uid = it->uid;
        out.gid = it->gid;
        if (!it->home.empty()) out.home = it->home;
    } else if (uid) {
        out.uid = *uid;
    } else {
        return no_user(user_arg);
    }

    if (!group_arg.empty()) {
        auto gid = group_id(group_arg, groups);
        if (!gid) return gid.error();
        out.gid = *gid;
    } else if (it != passwd.end()) {
        for (const auto& g : groups) {
            if (std::find(g.members.begin(), g.members.end(), it->name) != g.members.end()) {
                add_unique(out.groups, g.gid);
            }
        }
    }
    for (const auto& extra : additional_groups) {
        auto gid = group_id(extra, groups);
        if (!gid) return gid.error();
        add_unique(out.groups, *gid);
    }
    return out;
}

}  // namespace berth::engine
