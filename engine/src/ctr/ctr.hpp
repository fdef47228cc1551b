// berth-ctr's verbs over the container folders under --root (loading and status are in
// engine/ctr_store.hpp). Single-threaded by design (exec needs setns into mount and pid
// namespaces).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/ctr_store.hpp"

namespace berth::engine::ctr {

// The verbs. `out` receives what the verb prints on stdout.
Result<void> create(const std::string& root, const std::string& id,
                    const std::vector<std::string>& args);
Result<void> start(const std::string& root, const std::string& id);
Result<void> stop(const std::string& root, const std::string& id, std::optional<double> timeout,
                  std::string& out);
Result<void> kill(const std::string& root, const std::string& id, const std::string& signal);
Result<void> pause(const std::string& root, const std::string& id, bool freeze);
Result<void> wait(const std::string& root, const std::string& id, std::string& out);
Result<void> remove(const std::string& root, const std::string& id, bool force);
Result<void> ps(const std::string& root, std::string& out);
Result<void> inspect(const std::string& root, const std::string& id, std::string& out);
Result<void> logs(const std::string& root, const std::string& id, std::string& out);
Result<void> stats(const std::string& root, const std::string& id, std::string& out);
Result<void> top(const std::string& root, const std::string& id, std::string& out);

struct ExecOptions {
    std::vector<std::string> env;  // K=V, added to (and overriding) the container's
    std::optional<std::string> user;
    std::optional<std::string> cwd;
    bool detach = false;
    bool tty = false;
    std::vector<std::string> args;
};
// Returns the command's exit status (0 with detach).
Result<int> exec(const std::string& root, const std::string& id, const ExecOptions& opts);

}  // namespace berth::engine::ctr
