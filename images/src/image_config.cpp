#include "images/image_config.hpp"

#include <nlohmann/json.hpp>

namespace berth::images {
namespace {

using nlohmann::json;

std::vector<std::string> strings(const json& j) {
    std::vector<std::string> out;
    if (j.is_array()) {
        for (const auto& s : j) {
            if (s.is_string()) out.push_back(s.get<std::string>());
        }
    }
    return out;
}

std::set<std::string> keys(const json& j) {
    std::set<std::string> out;
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) out.insert(it.key());
    }
    return out;
}

std::string str(const json& c, const char* key) {
    auto it = c.find(key);
    return it != c.end() && it->is_string() ? it->get<std::string>() : "";
}

int64_t num(const json& c, const char* key) {
    auto it = c.find(key);
    return it != c.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

Healthcheck health(const json& h) {
    Healthcheck out;
    if (h.contains("Test")) out.test = strings(h["Test"]);
    out.interval_ns = num(h, "Interval");
    out.timeout_ns = num(h, "Timeout");
    out.start_period_ns = num(h, "StartPeriod");
    out.start_interval_ns = num(h, "StartInterval");
    out.retries = int(num(h, "Retries"));
    return out;
}

json object_of(const std::set<std::string>& s) {
    json o = json::object();
    for (const auto& k : s) o[k] = json::object();
    return o;
}

}  // namespace

Result<ImageConfig> parse_image_config(const std::string& text) {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return Error("image config is not a JSON object");
    ImageConfig out;
    auto cit = doc.find("config");
    if (cit == doc.end() || !cit->is_object()) return out;
    const json& c = *cit;
    if (c.contains("Env")) out.env = strings(c["Env"]);
    if (c.contains("Cmd")) out.cmd = strings(c["Cmd"]);
    if (c.contains("Entrypoint")) out.entrypoint = strings(c["Entrypoint"]);
    out.working_dir = str(c, "WorkingDir");
    out.user = str(c, "User");
    if (c.contains("ExposedPorts")) out.exposed_ports = keys(c["ExposedPorts"]);
    if (c.contains("Volumes")) out.volumes = keys(c["Volumes"]);
    if (c.contains("Healthcheck") && c["Healthcheck"].is_object()) {
        out.healthcheck = health(c["Healthcheck"]);
    }
    if (c.contains("Labels") && c["Labels"].is_object()) {
        for (auto it = c["Labels"].begin(); it != c["Labels"].end(); ++it) {
            if (it->is_string()) out.labels[it.key()] = it->get<std::string>();
        }
    }
    out.stop_signal = str(c, "StopSignal");
    return out;
}

std::string image_config_json(const ImageConfig& c) {
    json o = json::object();
    if (!c.env.empty()) o["Env"] = c.env;
    if (!c.cmd.empty()) o["Cmd"] = c.cmd;
    if (!c.entrypoint.empty()) o["Entrypoint"] = c.entrypoint;
    if (!c.working_dir.empty()) o["WorkingDir"] = c.working_dir;
    if (!c.user.empty()) o["User"] = c.user;
    if (!c.exposed_ports.empty()) o["ExposedPorts"] = object_of(c.exposed_ports);
    if (!c.volumes.empty()) o["Volumes"] = object_of(c.volumes);
    if (c.healthcheck) {
        const Healthcheck& h = *c.healthcheck;
        o["Healthcheck"] = {{"Test", h.test},
                            {"Interval", h.interval_ns},
                            {"Timeout", h.timeout_ns},
                            {"StartPeriod", h.start_period_ns},
                            {"Retries", h.retries}};
    }
    if (!c.labels.empty()) o["Labels"] = c.labels;
    if (!c.stop_signal.empty()) o["StopSignal"] = c.stop_signal;
    return o.dump();
}

}  // namespace berth::images
