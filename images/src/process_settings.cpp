#include "images/image_config.hpp"

namespace berth::images {
namespace {

std::string env_key(const std::string& kv) {
    return kv.substr(0, kv.find('='));
}

// Later entries replace earlier ones with the same key, keeping the first position.
void merge_env(std::vector<std::string>& env, const std::vector<std::string>& add) {
    for (const auto& kv : add) {
        bool replaced = false;
        for (auto& e : env) {
            if (env_key(e) == env_key(kv)) {
                e = kv;
                replaced = true;
                break;
            }
        }
        if (!replaced) env.push_back(kv);
    }
}

std::string with_proto(const std::string& port) {
    return port.find('/') == std::string::npos ? port + "/tcp" : port;
}

// Docker merges a healthcheck field by field: what the container leaves unset comes from the
// image (daemon/commit.go merge()).
std::optional<Healthcheck> merge_health(const std::optional<Healthcheck>& image,
                                        const Overrides& o) {
    if (o.healthcheck_disable) return std::nullopt;
    std::optional<Healthcheck> h = image;
    if (o.healthcheck) {
        const Healthcheck& c = *o.healthcheck;
        if (!h) h = Healthcheck{};
        if (!c.test.empty()) h->test = c.test;
        if (c.interval_ns) h->interval_ns = c.interval_ns;
        if (c.timeout_ns) h->timeout_ns = c.timeout_ns;
        if (c.start_period_ns) h->start_period_ns = c.start_period_ns;
        if (c.start_interval_ns) h->start_interval_ns = c.start_interval_ns;
        if (c.retries) h->retries = c.retries;
    }
    if (h && (h->test.empty() || h->test.front() == "NONE")) return std::nullopt;
    return h;
}

}  // namespace

ProcessSettings apply_image_config(const ImageConfig& image, const Overrides& o) {
    ProcessSettings p;
    std::vector<std::string> entrypoint = image.entrypoint, cmd = image.cmd;
    if (o.entrypoint) {
        entrypoint = *o.entrypoint;
        cmd.clear();  // docker: a new entrypoint drops the image's Cmd (daemon/create.go)
    }
    if (o.command) cmd = *o.command;
    p.args = entrypoint;
    p.args.insert(p.args.end(), cmd.begin(), cmd.end());

    p.env = image.env;
    merge_env(p.env, o.environment);
    bool has_path = false;
    for (const auto& e : p.env) has_path = has_path || env_key(e) == "PATH";
    if (!has_path) p.env.insert(p.env.begin(), kDefaultPath);

    p.working_dir = o.working_dir ? *o.working_dir : image.working_dir;
    if (p.working_dir.empty()) p.working_dir = "/";
    p.user = o.user ? *o.user : image.user;
    p.exposed_ports = image.exposed_ports;
    for (const auto& e : o.expose) p.exposed_ports.insert(with_proto(e));
    p.volumes = image.volumes;
    p.volumes.insert(o.volumes.begin(), o.volumes.end());
    p.labels = image.labels;
    for (const auto& [k, v] : o.labels) p.labels[k] = v;
    p.healthcheck = merge_health(image.healthcheck, o);
    p.stop_signal = o.stop_signal ? *o.stop_signal : image.stop_signal;
    if (p.stop_signal.empty()) p.stop_signal = "SIGTERM";
    return p;
}

}  // namespace berth::images
