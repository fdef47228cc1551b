#include "up_watch.hpp"

#include <algorithm>
#include <cerrno>
#include <iostream>

namespace berth::cli {

using nlohmann::json;

UpWatch::UpWatch(const ApiClient& client, std::string project, std::vector<std::string> services,
                 ExitPolicy policy, std::string since)
    : client_(client),
      project_(std::move(project)),
      services_(std::move(services)),
      since_(std::move(since)),
      tracker_(std::move(policy)) {}

UpWatch::~UpWatch() {
    cancel_ = 1;
    if (thread_.joinable()) thread_.join();
}

Result<void> UpWatch::start() {
    std::string target = project_path(project_, "containers") + "?all=1";
    if (!services_.empty()) target += "&services=" + url_encode(join(services_, ","));
    auto list = get_json(client_, get_request(target));
    if (!list) return list.error();
    for (const auto& c : *list) {
        if (!c.value("OneOff", false)) tracker_.watch(c.value("ID", ""));
    }
    if (tracker_.done()) {
        ended_ = true;
        return {};
    }
    thread_ = std::thread([this] { run(); });
    return {};
}

void UpWatch::run() {
    json filters = {{"project", {project_}}, {"type", {"container"}}, {"event", {"start", "die"}}};
    if (!services_.empty()) filters["service"] = services_;
    Request req = get_request("/v1/events?since=" + url_encode(since_) +
                              "&filters=" + url_encode(filters.dump()));
    req.cancel = &cancel_;
    auto r = client_.stream(req, [this](std::string_view text) { on_event(text); });
    std::lock_guard lock(mu_);
    if (!r && cancel_ == 0) failure_ = r.error();
    if (r && !r->ok()) failure_ = Error(r->error_message());
    ended_ = true;
    changed_.notify_all();
}

Result<std::string> UpWatch::state_of(const std::string& service, const std::string& id) const {
    std::string target =
        project_path(project_, "containers") + "?all=1&services=" + url_encode(service);
    auto list = get_json(client_, get_request(target));
    if (!list) return list.error();
    for (const auto& c : *list) {
        if (c.value("ID", "") == id) return c.value("State", "");
    }
    return std::string("removed");
}

void UpWatch::on_event(std::string_view text) {
    json e = json::parse(text, nullptr, false);
    if (!e.is_object() || !e.contains("attributes")) return;
    const json& a = e["attributes"];
    if (a.value("oneoff", "False") == "True") return;
    const std::string id = e.value("id", ""), action = e.value("action", "");
    const std::string service = a.value("service", "");
    {
        std::lock_guard lock(mu_);
        if (action == "start" && tracker_.watching(id)) return;
        if (action == "die" && !tracker_.watching(id)) return;
    }
    // The container's state now tells a restart (it is back, or coming back) from an end.
    auto state = state_of(service, id);
    std::string st = state ? *state : "removed";
    std::lock_guard lock(mu_);
    if (action == "start") {
        // A replica started after `up` planned (a restart policy, another `up --scale`).
        if (st == "running") tracker_.watch(id);
        return;
    }
    ContainerExit x;
    x.id = id;
    x.service = service;
    x.source = exit_source(project_, service, a.value("name", ""));
    x.code = std::atoi(a.value("exitCode", "0").c_str());
    x.restarting = st == "running" || st == "restarting";
    tracker_.exited(x);
    std::cout << exit_line(x) + "\n" << std::flush;
    if (tracker_.done()) cancel_ = 1;
    changed_.notify_all();
}

bool UpWatch::settled_locked() const {
    return ended_ || tracker_.done() || tracker_.aborted();
}

void UpWatch::wait(const volatile std::sig_atomic_t* interrupt) {
    std::unique_lock lock(mu_);
    while (!settled_locked() && *interrupt == 0) {
        changed_.wait_for(lock, std::chrono::milliseconds(200));
    }
}

void UpWatch::finish(std::chrono::milliseconds grace) {
    {
        std::unique_lock lock(mu_);
        changed_.wait_for(lock, grace, [this] { return ended_; });
    }
    cancel_ = 1;
    if (thread_.joinable()) thread_.join();
}

bool UpWatch::aborted() {
    std::lock_guard lock(mu_);
    return tracker_.aborted();
}

int UpWatch::exit_code() {
    std::lock_guard lock(mu_);
    return tracker_.exit_code();
}

std::optional<Error> UpWatch::failure() {
    std::lock_guard lock(mu_);
    return failure_;
}

LogFollow::LogFollow(const ApiClient& client, std::string project, LogQuery query, LogStyle style) {
    thread_ =
        std::thread([this, &client, project = std::move(project), query = std::move(query), style] {
            auto r = print_logs(client, project, query, style, &cancel_);
            std::lock_guard lock(mu_);
            if (!r && r.error().errnum() != EINTR) failure_ = r.error();
            ended_ = true;
            ended_cv_.notify_all();
        });
}

LogFollow::~LogFollow() {
    cancel_ = 1;
    if (thread_.joinable()) thread_.join();
}

std::optional<Error> LogFollow::finish(std::chrono::milliseconds grace) {
    {
        std::unique_lock lock(mu_);
        ended_cv_.wait_for(lock, grace, [this] { return ended_; });
    }
    cancel_ = 1;
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mu_);
    return failure_;
}

}  // namespace berth::cli
