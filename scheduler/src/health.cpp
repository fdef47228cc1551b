#include "scheduler/health.hpp"

#include "compose/units.hpp"

namespace berth::scheduler {

namespace {

Result<std::int64_t> duration_of(const compose::Node& h, const char* key) {
    const compose::Node* n = h.find(key);
    if (n == nullptr || n->is_null()) return std::int64_t{0};
    auto ns = compose::parse_duration(n->text);
    if (!ns) return Error("healthcheck." + std::string(key) + ": " + ns.error().message());
    if (*ns < 0) return Error("healthcheck." + std::string(key) + " must not be negative");
    return *ns;
}

bool is_true(const compose::Node* n) {
    return n != nullptr && n->is_scalar() && n->as_bool().value_or(false);
}

}  // namespace

Result<ServiceHealth> service_health(const compose::Node& service) {
    ServiceHealth out;
    const compose::Node* h = service.find("healthcheck");
    if (h == nullptr || !h->is_map()) return out;
    out.disable = is_true(h->find("disable"));
    images::Healthcheck c;
    if (const compose::Node* test = h->find("test"); test && test->is_seq()) {
        for (const auto& item : test->items) c.test.push_back(item.text);
    }
    struct Field {
        const char* key;
        std::int64_t* into;
    };
    for (Field f : {Field{"interval", &c.interval_ns}, Field{"timeout", &c.timeout_ns},
                    Field{"start_period", &c.start_period_ns},
                    Field{"start_interval", &c.start_interval_ns}}) {
        auto ns = duration_of(*h, f.key);
        if (!ns) return ns.error();
        *f.into = *ns;
    }
    // docker compose's check: probing faster during a start period needs one.
    if (h->find("start_interval") != nullptr && h->find("start_period") == nullptr) {
        return Error("healthcheck.start_interval requires healthcheck.start_period to be set");
    }
    if (const compose::Node* r = h->find("retries"); r && r->is_scalar()) {
        auto n = r->as_int();
        if (!n || *n < 0) return Error("healthcheck.retries must be a non-negative integer");
        c.retries = static_cast<int>(*n);
    }
    out.check = std::move(c);
    return out;
}

images::Healthcheck with_health_defaults(images::Healthcheck h) {
    if (h.interval_ns <= 0) h.interval_ns = kHealthDefaultInterval;
    if (h.timeout_ns <= 0) h.timeout_ns = kHealthDefaultTimeout;
    if (h.start_interval_ns <= 0) h.start_interval_ns = kHealthDefaultStartInterval;
    if (h.start_period_ns < 0) h.start_period_ns = 0;
    if (h.retries <= 0) h.retries = kHealthDefaultRetries;
    return h;
}

Result<std::vector<std::string>> probe_command(const std::vector<std::string>& test) {
    if (test.empty()) return Error("healthcheck test is empty");
    const std::string& kind = test.front();
    if (kind == "CMD") {
        if (test.size() < 2) return Error("healthcheck test CMD has no command");
        return std::vector<std::string>(test.begin() + 1, test.end());
    }
    if (kind == "CMD-SHELL") {
        if (test.size() != 2) {
            return Error("healthcheck test CMD-SHELL takes one command string");
        }
        return std::vector<std::string>{"/bin/sh", "-c", test[1]};
    }
    if (kind == "NONE") return Error("healthcheck is disabled (NONE)");
    return Error("healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"");
}

const char* to_string(HealthStatus s) {
    switch (s) {
        case HealthStatus::Starting:
            return "starting";
        case HealthStatus::Healthy:
            return "healthy";
        case HealthStatus::Unhealthy:
            return "unhealthy";
    }
    return "starting";
}

std::optional<HealthStatus> parse_health_status(const std::string& text) {
    for (auto s : {HealthStatus::Starting, HealthStatus::Healthy, HealthStatus::Unhealthy}) {
        if (text == to_string(s)) return s;
    }
    return std::nullopt;
}

void reset_health(HealthState& s) {
    s.status = HealthStatus::Starting;
    s.failing_streak = 0;
}

void record_probe(HealthState& s, const images::Healthcheck& h, std::int64_t started_nano,
                  ProbeResult r) {
    const images::Healthcheck c = with_health_defaults(h);
    if (r.exit_code == 0) {
        s.failing_streak = 0;
        s.status = HealthStatus::Healthy;
    } else {
        // Only a container still "starting" gets the grace of its start period: one that was
        // healthy and fails again counts every failure.
        bool grace =
            s.status == HealthStatus::Starting && r.start_nano - started_nano < c.start_period_ns;
        if (!grace) {
            ++s.failing_streak;
            if (s.failing_streak >= c.retries) s.status = HealthStatus::Unhealthy;
        }
    }
    if (r.output.size() > kHealthMaxOutput) r.output.resize(kHealthMaxOutput);
    s.log.push_back(std::move(r));
    while (s.log.size() > kHealthMaxLog) s.log.pop_front();
}

std::int64_t next_probe_delay(const HealthState& s, const images::Healthcheck& h,
                              std::int64_t started_nano, std::int64_t now_nano) {
    const images::Healthcheck c = with_health_defaults(h);
    bool in_start =
        s.status == HealthStatus::Starting && now_nano - started_nano < c.start_period_ns;
    return in_start ? c.start_interval_ns : c.interval_ns;
}

ProbeResult timed_out_probe(std::int64_t start_nano, std::int64_t end_nano,
                            std::int64_t timeout_ns) {
    ProbeResult r;
    r.start_nano = start_nano;
    r.end_nano = end_nano;
    r.exit_code = -1;
    r.output = "Health check exceeded timeout (" + compose::format_duration(timeout_ns) + ")";
    return r;
}

}  // namespace berth::scheduler
