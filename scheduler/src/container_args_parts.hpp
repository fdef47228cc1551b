// The pieces of container_args(), one file per concern: the process (image config and
// overrides), mounts, security and kernel settings, namespaces, and limits.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/node.hpp"
#include "scheduler/container_args.hpp"

namespace berth::scheduler::detail {

// What the pieces share while the option list is built.
struct ArgsBuilder {
    const compose::Node& service;
    const ContainerContext& ctx;
    std::vector<std::string> options;
    std::vector<std::string> warnings;
    // Namespaces joined (the host's or another service's): their sysctls and names are not ours
    // to set.
    bool shared_net = false, shared_ipc = false, shared_uts = false;

    const compose::Node* get(const char* key) const;
    void add(const std::string& flag, const std::string& value);
    void add(const std::string& flag);
    // "service \"web\": " + message.
    Error fail(const std::string& message) const;
};

// Scalars of the normalized model: the text of a scalar, each item of a list of scalars.
bool is_true(const compose::Node* n);
std::vector<std::string> texts(const compose::Node* list);

// The process: entrypoint + command after image defaults, env, cwd, user, stop signal and
// timeout, tty. Fills out.command.
Result<void> add_process(ArgsBuilder& b, ContainerArgs& out);
// volumes (bind and tmpfs) and the tmpfs key; named volumes are refused.
Result<void> add_mounts(ArgsBuilder& b);
// Capabilities, security_opt, read_only, sysctls, ulimits, oom_score_adj, devices, shm, init.
Result<void> add_security(ArgsBuilder& b);
// network_mode, ipc, pid, uts. Run before add_security (sysctls look at the result).
Result<void> add_namespaces(ArgsBuilder& b);
// cgroup limits and log rotation.
Result<void> add_limits(ArgsBuilder& b);

}  // namespace berth::scheduler::detail
