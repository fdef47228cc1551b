// The volumes of a compose project as volumes/ and berthd take them: the top-level `volumes:`
// with their real names (`<project>_<key>` or `name:`), driver, options, labels and externality.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/project.hpp"

namespace berth::scheduler {

struct VolumeSpec {
    std::string key;   // as the services name it ("data")
    std::string name;  // as it exists ("demo_data", or `name:`)
    std::string driver = "local";
    std::map<std::string, std::string> driver_opts;
    std::map<std::string, std::string> labels;
    bool external = false;
};

// Refuses a bad name, an unknown driver and bad local driver_opts, naming the volume, so `up`
// stops before it makes anything.
Result<std::vector<VolumeSpec>> volume_specs(const compose::Project& project);

}  // namespace berth::scheduler
