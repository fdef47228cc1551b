// Running the loader the way the upstream tests do: a given file set, a given environment, no
// dependence on the machine's own shell variables.
#pragma once

#include <string>
#include <vector>

#include "compose/project.hpp"

namespace berth::conformance {

struct Outcome {
    bool ok = false;
    std::string error;
    compose::Project project;
};

inline Outcome run_load(const compose::LoadOptions& o) {
    Outcome out;
    auto r = compose::load(o);
    out.ok = r.ok();
    if (r) {
        out.project = std::move(r.value());
    } else {
        out.error = r.error().message();
    }
    return out;
}

// "file:line:col: " at the start of a message.
inline bool has_location(const std::string& msg) {
    auto first = msg.find(':');
    if (first == std::string::npos || first == 0) return false;
    std::size_t pos = first + 1;
    auto digits = [&](std::size_t& p) {
        std::size_t start = p;
        while (p < msg.size() && std::isdigit(static_cast<unsigned char>(msg[p]))) ++p;
        return p > start;
    };
    if (!digits(pos) || pos >= msg.size() || msg[pos] != ':') return false;
    ++pos;
    return digits(pos) && pos < msg.size() && msg[pos] == ':';
}

// The message after "file:line:col: ".
inline std::string without_location(const std::string& msg) {
    if (!has_location(msg)) return msg;
    std::size_t colons = 0;
    for (std::size_t i = 0; i < msg.size(); ++i) {
        if (msg[i] == ':' && ++colons == 3) return msg.substr(i + 2 <= msg.size() ? i + 2 : i + 1);
    }
    return msg;
}

}  // namespace berth::conformance
