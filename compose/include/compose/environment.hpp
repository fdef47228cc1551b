// Variables as the loader sees them: the shell's environment, .env files, env_file contents.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace berth::compose {

using Environment = std::map<std::string, std::string>;

// Looks a variable up; nullopt when it is unset (an empty value is set).
using Lookup = std::function<std::optional<std::string>(const std::string& name)>;

inline Lookup lookup_in(const Environment& env) {
    return [&env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
    };
}

}  // namespace berth::compose
