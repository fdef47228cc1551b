#include "scheduler/restart_policy.hpp"

#include <algorithm>
#include <charconv>

namespace berth::scheduler {

namespace {

// docker compose's mapRestartPolicyCondition, shared by `restart:` and deploy's condition.
Result<RestartMode> mode_of(std::string_view name) {
    if (name == "no" || name == "none" || name.empty()) return RestartMode::No;
    if (name == "always" || name == "any") return RestartMode::Always;
    if (name == "on-failure") return RestartMode::OnFailure;
    if (name == "unless-stopped") return RestartMode::UnlessStopped;
    return Error("invalid restart policy: unknown policy '" + std::string(name) +
                 "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
}

// The engine's validateRestartPolicy: a retry count only with on-failure, never negative.
Result<RestartPolicy> checked(RestartMode mode, std::int64_t retries) {
    if (retries < 0) {
        return Error(mode == RestartMode::OnFailure
                         ? "invalid restart policy: maximum retry count cannot be negative"
                         : "invalid restart policy: maximum retry count can only be used with "
                           "'on-failure' and cannot be negative");
    }
    if (retries != 0 && mode != RestartMode::OnFailure) {
        return Error(
            "invalid restart policy: maximum retry count can only be used with 'on-failure'");
    }
    if (retries > 1000000000) return Error("invalid restart policy: maximum retry count too large");
    return RestartPolicy{mode, static_cast<int>(retries)};
}

Error for_service(Error e, const std::string& service, const char* key) {
    return e.context(std::string("service \"") + service + "\": " + key);
}

}  // namespace

const char* to_string(RestartMode m) {
    switch (m) {
        case RestartMode::No:
            return "no";
        case RestartMode::Always:
            return "always";
        case RestartMode::OnFailure:
            return "on-failure";
        case RestartMode::UnlessStopped:
            return "unless-stopped";
    }
    return "no";
}

std::string format_restart_policy(const RestartPolicy& p) {
    std::string text = to_string(p.mode);
    if (p.mode == RestartMode::OnFailure && p.max_retries > 0) {
        text += ":" + std::to_string(p.max_retries);
    }
    return text;
}

Result<RestartPolicy> parse_restart_policy(std::string_view text) {
    auto colon = text.find(':');
    auto mode = mode_of(text.substr(0, colon));
    if (!mode) return mode.error();
    std::int64_t retries = 0;
    if (colon != std::string_view::npos) {
        std::string_view count = text.substr(colon + 1);
        const char* end = count.data() + count.size();
        auto [ptr, ec] = std::from_chars(count.data(), end, retries);
        if (count.empty() || ec != std::errc() || ptr != end) {
            return Error("invalid restart policy \"" + std::string(text) +
                         "\": the maximum retry count after ':' must be a whole number");
        }
    }
    return checked(*mode, retries);
}

Result<RestartPolicy> restart_policy_of(const std::string& service, const compose::Node& node) {
    RestartPolicy policy;
    if (const compose::Node* r = node.find("restart"); r && r->is_scalar()) {
        auto p = parse_restart_policy(r->text);
        if (!p) return for_service(p.error(), service, "restart");
        policy = *p;
    }
    const compose::Node* deploy = node.find("deploy");
    const compose::Node* rp = deploy && deploy->is_map() ? deploy->find("restart_policy") : nullptr;
    if (!rp || !rp->is_map()) return policy;
    std::string condition;
    if (const compose::Node* c = rp->find("condition"); c && c->is_scalar()) condition = c->text;
    std::int64_t retries = 0;
    if (const compose::Node* m = rp->find("max_attempts"); m && !m->is_null()) {
        auto n = m->as_int();
        if (!n) {
            return for_service(Error("max_attempts must be a whole number"), service,
                               "deploy.restart_policy");
        }
        retries = *n;
    }
    auto mode = mode_of(condition);
    if (!mode) return for_service(mode.error(), service, "deploy.restart_policy.condition");
    // An empty condition is the engine's empty policy name: no restarts, whatever max_attempts.
    if (condition.empty()) return RestartPolicy{};
    auto p = checked(*mode, retries);
    if (!p) return for_service(p.error(), service, "deploy.restart_policy");
    return p;
}

RestartDecision decide_restart(const RestartPolicy& policy, RestartTracker& tracker,
                               const ExitFacts& exit) {
    if (policy.mode == RestartMode::No) return {};
    if (exit.ran_seconds >= kRestartResetAfterSeconds) tracker.backoff = {};
    if (tracker.backoff.count() == 0) {
        tracker.backoff = kRestartFirstDelay;
    } else if (tracker.backoff < kRestartMaxDelay) {
        tracker.backoff *= 2;
    }
    tracker.backoff = std::min(tracker.backoff, kRestartMaxDelay);

    bool restart = false;
    switch (policy.mode) {
        case RestartMode::Always:
            restart = true;
            break;
        case RestartMode::UnlessStopped:
            restart = !exit.manually_stopped;
            break;
        case RestartMode::OnFailure:
            if (policy.max_retries == 0 || tracker.restart_count < policy.max_retries) {
                restart = exit.exit_code != 0;
            }
            break;
        case RestartMode::No:
            break;
    }
    if (!restart) return {};
    ++tracker.restart_count;
    return {true, tracker.backoff};
}

}  // namespace berth::scheduler
