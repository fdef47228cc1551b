// Lenient readers of JSON objects that berthd wrote itself or that a client sent: a missing or
// mistyped field reads as empty, and the caller validates what it needs.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace berth::daemon {

inline std::string json_string(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// The string values of an object field; values of other types are left out.
inline std::map<std::string, std::string> json_string_map(const nlohmann::json& j,
                                                          const char* key) {
    std::map<std::string, std::string> out;
    auto it = j.find(key);
    if (it == j.end() || !it->is_object()) return out;
    for (const auto& [k, v] : it->items()) {
        if (v.is_string()) out[k] = v.get<std::string>();
    }
    return out;
}

}  // namespace berth::daemon
