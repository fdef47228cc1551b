// berth: the command-line client. Verbs and flags follow `docker compose` so habits carry over.
#include <CLI/CLI.hpp>

#include "config_cmd.hpp"
#include "image_cmd.hpp"
#include "project_options.hpp"

int main(int argc, char** argv) {
    CLI::App app{"berth: run multi-container applications from compose files", "berth"};
    app.require_subcommand(1);
    // Project flags are accepted after the verb too (`berth config -f x.yaml`), as docker compose
    // does.
    app.fallthrough();
    app.set_version_flag("-v,--version", "berth version 0.1.0");
    berth::cli::ProjectFlags flags;
    flags.attach(app);
    int exit_code = 0;
    berth::cli::add_config_command(app, flags, exit_code);
    berth::cli::StoreFlags store_flags;
    berth::cli::add_image_commands(app, store_flags, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return exit_code;
}
