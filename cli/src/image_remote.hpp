// `berth image ...` through berthd: the daemon owns the store (its data-root and storage-driver
// come from daemon.json). Each function prints what the direct path prints and returns the exit
// status; errors go to stderr as "Error: MESSAGE", the daemon's message verbatim.
#pragma once

#include <string>
#include <vector>

#include "api_client.hpp"

namespace berth::cli {

struct ImageArgs {
    std::string source, name, target, input, output, dir, format = "table";
    std::vector<std::string> names, changes;
    bool with_cmd = false, quiet = false, force = false;
};

// "/v1/images/<name percent-encoded>/TAIL": names hold '/' and ':'.
std::string image_path(const std::string& name, const std::string& tail = "");

int remote_images(const ApiClient& c, bool quiet);
int remote_import(const ApiClient& c, const ImageArgs& a);
int remote_load(const ApiClient& c, const ImageArgs& a);
int remote_save(const ApiClient& c, const ImageArgs& a);
int remote_inspect(const ApiClient& c, const ImageArgs& a);
int remote_rm(const ApiClient& c, const ImageArgs& a);
int remote_tag(const ApiClient& c, const ImageArgs& a);
int remote_prune(const ApiClient& c);

}  // namespace berth::cli
