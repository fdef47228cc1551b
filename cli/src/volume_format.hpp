// What `berth volume ls` and `inspect` print, from the daemon's JSON. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"

namespace berth::cli {

// Docker's table ("DRIVER    VOLUME NAME"), the names alone (quiet), one JSON object per line
// (json), or a Go template per volume.
Result<std::string> render_volume_ls(const nlohmann::json& volumes, bool quiet,
                                     const std::string& format);
// The volumes as an indented JSON array, or a Go template per volume.
Result<std::string> render_volume_inspect(const nlohmann::json& volumes, const std::string& format);

}  // namespace berth::cli
