// The runtime part of an image config (OCI image-spec config.md, `config` object), and how it
// combines with compose-style overrides into the settings of a container's process. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::images {

struct Healthcheck {
    std::vector<std::string> test;  // ["CMD", ...], ["CMD-SHELL", "..."], ["NONE"]; empty = inherit
    int64_t interval_ns = 0;        // 0 = inherit / default
    int64_t timeout_ns = 0;
    int64_t start_period_ns = 0;
    int64_t start_interval_ns = 0;
    int retries = 0;
};

struct ImageConfig {
    std::vector<std::string> env;  // K=V, in order
    std::vector<std::string> cmd;
    std::vector<std::string> entrypoint;
    std::string working_dir;
    std::string user;
    std::set<std::string> exposed_ports;  // "80/tcp"
    std::set<std::string> volumes;
    std::optional<Healthcheck> healthcheck;
    std::map<std::string, std::string> labels;
    std::string stop_signal;
};

// Reads the `config` object of an image config blob (the whole JSON document).
Result<ImageConfig> parse_image_config(const std::string& json);
// The `config` object as JSON text, keys as Docker writes them.
std::string image_config_json(const ImageConfig& c);

// Compose-style overrides; an unset optional keeps the image's value.
struct Overrides {
    std::optional<std::vector<std::string>> entrypoint;
    std::optional<std::vector<std::string>> command;
    std::vector<std::string> environment;  // K=V replaces the image's K
    std::optional<std::string> working_dir;
    std::optional<std::string> user;
    std::vector<std::string> expose;  // "8080" or "8080/udp"
    std::vector<std::string> volumes;
    std::map<std::string, std::string> labels;
    std::optional<Healthcheck> healthcheck;  // fields left 0/empty inherit the image's
    bool healthcheck_disable = false;
    std::optional<std::string> stop_signal;
};

struct ProcessSettings {
    std::vector<std::string> args;  // entrypoint + cmd
    std::vector<std::string> env;
    std::string working_dir;  // "/" when neither says
    std::string user;         // "" = root
    std::set<std::string> exposed_ports;
    std::set<std::string> volumes;
    std::optional<Healthcheck> healthcheck;  // nullopt: none; test ["NONE"] never appears here
    std::map<std::string, std::string> labels;
    std::string stop_signal;  // "SIGTERM" when neither says
};

// Docker's rules: a compose `entrypoint` replaces the image's and clears its Cmd (unless compose
// sets `command` too); `command` replaces Cmd; environment is merged by key; PATH gets Docker's
// default when nobody set it.
ProcessSettings apply_image_config(const ImageConfig& image, const Overrides& o);

constexpr const char* kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

}  // namespace berth::images
