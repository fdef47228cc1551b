// What attached `up` does as its containers exit, as docker compose decides it: print
// "app-1 exited with code N", end once every watched container has exited, and with
// --abort-on-container-exit / --abort-on-container-failure / --exit-code-from, abort and pick the
// exit status. Pure: the events come from up_watch.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::cli {

enum class Cascade { Ignore, Stop, Fail };

struct ExitPolicy {
    Cascade on_exit = Cascade::Ignore;
    std::string exit_code_from;  // a service, or ""
};

struct ContainerExit {
    std::string id, service, source;  // source: "app-1", or the container_name
    int code = 0;
    bool restarting = false;  // it exited but is coming back (a restart policy)
};

class ExitTracker {
  public:
    explicit ExitTracker(ExitPolicy policy) : policy_(std::move(policy)) {}

    void watch(const std::string& id) { watched_.insert(id); }
    bool watching(const std::string& id) const { return watched_.count(id) != 0; }
    // Returns true when this exit is the one that aborts the stack.
    bool exited(const ContainerExit& e);

    bool done() const { return watched_.empty(); }
    bool aborted() const { return aborted_; }
    int exit_code() const { return exit_code_; }

  private:
    ExitPolicy policy_;
    std::set<std::string> watched_;
    bool aborted_ = false, captured_ = false;
    int exit_code_ = 0;
};

// "app-1 exited with code 0", "app-1 exited with code 1 (restarting)".
std::string exit_line(const ContainerExit& e);

// The name compose shows: the container's name without "<project>-" when it is the default one.
std::string exit_source(const std::string& project, const std::string& service,
                        const std::string& name);

// --scale SERVICE=NUM values, with docker compose's messages; `known` holds the services.
Result<std::map<std::string, int>> parse_scale(const std::vector<std::string>& values,
                                               const std::set<std::string>& known);

}  // namespace berth::cli
