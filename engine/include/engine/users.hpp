// The container's user: /etc/passwd and /etc/group parsing and the resolution of `user:` and
// `group_add:` as runc does it (libcontainer/user GetExecUser, GetAdditionalGroups). Pure.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::engine {

struct PasswdEntry {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string home;
    std::string shell;
};

struct GroupEntry {
    std::string name;
    gid_t gid = 0;
    std::vector<std::string> members;
};

// Malformed lines are skipped, as glibc and runc do; comments (#) and blank lines too.
std::vector<PasswdEntry> parse_passwd(std::string_view text);
std::vector<GroupEntry> parse_group(std::string_view text);

struct ExecUser {
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;  // supplementary groups, in order, without duplicates
    std::string home = "/";
};

// user: "", "name", "uid", "uid:gid", "name:group", "uid:group". A name that is not in passwd is
// an error ("unable to find user foo: no matching entries in passwd file"); a uid that is not
// there is used as it is, with gid 0 and HOME "/". Without an explicit group, the supplementary
// groups are those listing the user by name in /etc/group. additional_groups are names or gids.
Result<ExecUser> resolve_user(const std::string& user,
                              const std::vector<std::string>& additional_groups,
                              const std::vector<PasswdEntry>& passwd,
                              const std::vector<GroupEntry>& groups);

}  // namespace berth::engine
