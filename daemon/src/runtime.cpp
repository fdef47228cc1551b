// The verbs that change a container, each through a fresh berth-ctr process.
#include "daemon/runtime.hpp"

#include <unistd.h>

#include <cstdio>

#include "ctr_process.hpp"

namespace berth::daemon {

const char* to_string(ContainerRunState s) {
    switch (s) {
        case ContainerRunState::Created:
            return "created";
        case ContainerRunState::Running:
            return "running";
        case ContainerRunState::Paused:
            return "paused";
        case ContainerRunState::Exited:
            return "exited";
        case ContainerRunState::Dead:
            return "dead";
    }
    return "unknown";
}

Runtime::Runtime(RuntimeConfig config) : config_(std::move(config)) {}

Result<std::string> Runtime::run_ctr(const std::vector<std::string>& args) const {
    std::vector<std::string> full{"--root", config_.root};
    full.insert(full.end(), args.begin(), args.end());
    auto out = run_captured(config_.ctr_binary, full);
    if (!out) return out.error();
    if (out->status != 0) return Error(failure_message(*out));
    return std::move(out->out);
}

namespace {

Result<void> checked(Result<std::string> r, const std::string& what) {
    if (!r) return r.error().context(what);
    return {};
}

std::string seconds_text(double seconds) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", seconds);
    return buf;
}

}  // namespace

Result<void> Runtime::create(const std::string& id, const std::vector<std::string>& args) const {
    std::vector<std::string> full{"create", id};
    full.insert(full.end(), args.begin(), args.end());
    return checked(run_ctr(full), "create container " + id);
}

Result<void> Runtime::start(const std::string& id) const {
    return checked(run_ctr({"start", id}), "start container " + id);
}

Result<StopOutcome> Runtime::stop(const std::string& id, std::optional<double> timeout) const {
    std::vector<std::string> args{"stop", id};
    if (timeout) {
        args.push_back("-t");
        args.push_back(seconds_text(*timeout < 0 ? 0 : *timeout));
    }
    auto out = run_ctr(args);
    if (!out) return out.error().context("stop container " + id);
    return stop_outcome(*out);
}

StopOutcome stop_outcome(const std::string& ctr_output) {
    // berth-ctr stop prints "ID: killed after timeout: REASON" when it had to send SIGKILL.
    static const std::string mark = ": killed after timeout";
    StopOutcome o;
    auto at = ctr_output.find(mark);
    if (at == std::string::npos) return o;
    o.killed = true;
    auto rest = at + mark.size();
    auto end = ctr_output.find('\n', rest);
    std::string reason = ctr_output.substr(rest, end == std::string::npos ? end : end - rest);
    if (reason.rfind(": ", 0) == 0) reason.erase(0, 2);
    o.reason = reason.empty() ? "did not stop within its grace period" : reason;
    return o;
}

Result<void> Runtime::kill(const std::string& id, const std::string& signal) const {
    std::vector<std::string> args{"kill", id};
    if (!signal.empty()) {
        args.push_back("-s");
        args.push_back(signal);
    }
    return checked(run_ctr(args), "kill container " + id);
}

Result<void> Runtime::pause(const std::string& id, bool freeze) const {
    return checked(run_ctr({freeze ? "pause" : "unpause", id}),
                   std::string(freeze ? "pause" : "unpause") + " container " + id);
}

Result<void> Runtime::remove(const std::string& id, bool force) const {
    // A folder that is gone (or never was) is what the caller wants; berth-ctr would call it an
    // error. The id is checked first so that "../x" never names something outside the root.
    const std::string dir = config_.root + "/" + id;
    if (id.find('/') == std::string::npos && id != "." && id != ".." &&
        access(dir.c_str(), F_OK) != 0) {
        return {};
    }
    std::vector<std::string> args{"rm", id};
    if (force) args.push_back("-f");
    return checked(run_ctr(args), "remove container " + id);
}

}  // namespace berth::daemon
