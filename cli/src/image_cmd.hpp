// `berth image ...` and `berth images`. With --data-root they work on that store directly (tests
// and scripts/make-busybox-image build stores this way); without it they go through berthd,
// which owns the store. `image mount` is always local (docs/images.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "verb_support.hpp"

namespace berth::cli {

inline constexpr const char* kDefaultDataRoot = "/var/lib/berth";

struct StoreFlags {
    std::string data_root;       // "" = through berthd
    std::string storage_driver;  // "" = overlay2 (local) or the daemon's
    const GlobalFlags* global = nullptr;
};

// `images` needs the project flags too: in a project it lists the project's images, as docker
// compose does; with no project in sight (or with --data-root), the store's images.
void add_image_commands(CLI::App& app, StoreFlags& flags, ProjectFlags& project,
                        GlobalFlags& global, int& exit_code);

}  // namespace berth::cli
