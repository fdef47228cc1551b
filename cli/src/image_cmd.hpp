// `berth image ...` and `berth images`: the local image store. Until berthd exists these work on
// the store directly (cli links berth_images; see docs/architecture-notes.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace berth::cli {

struct StoreFlags {
    std::string data_root = "/var/lib/berth";
    std::string storage_driver = "overlay2";
};

void add_image_commands(CLI::App& app, StoreFlags& flags, int& exit_code);

}  // namespace berth::cli
