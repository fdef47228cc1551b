// berth: the command-line client. Verbs and flags follow `docker compose` so habits carry over.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "config_cmd.hpp"
#include "cp_cmd.hpp"
#include "exec_cmds.hpp"
#include "image_cmd.hpp"
#include "inspect_cmd.hpp"
#include "lifecycle_cmds.hpp"
#include "logs_cmd.hpp"
#include "network_cmd.hpp"
#include "port_cmd.hpp"
#include "project_options.hpp"
#include "query_cmds.hpp"
#include "up_cmd.hpp"
#include "verb_support.hpp"
#include "volume_cmd.hpp"

int main(int argc, char** argv) {
    CLI::App app{"berth: run multi-container applications from compose files", "berth"};
    app.require_subcommand(1);
    // Project flags are accepted after the verb too (`berth config -f x.yaml`), as docker compose
    // does.
    app.fallthrough();
    app.set_version_flag("-v,--version", "berth version 0.1.0");
    berth::cli::ProjectFlags flags;
    flags.attach(app);
    berth::cli::GlobalFlags global;
    global.attach(app);
    int exit_code = 0;
    berth::cli::add_config_command(app, flags, exit_code);
    berth::cli::StoreFlags store_flags;
    berth::cli::add_image_commands(app, store_flags, flags, global, exit_code);
    berth::cli::VerbContext ctx{flags, global, exit_code};
    berth::cli::add_up_commands(app, ctx);
    berth::cli::add_lifecycle_commands(app, ctx);
    berth::cli::add_logs_command(app, ctx);
    berth::cli::add_query_commands(app, ctx);
    berth::cli::add_inspect_command(app, ctx);
    berth::cli::add_exec_commands(app, ctx);
    berth::cli::add_cp_command(app, ctx);
    berth::cli::add_network_commands(app, ctx);
    berth::cli::add_volume_commands(app, ctx);
    berth::cli::add_port_command(app, ctx);
    try {
        std::vector<std::string> args(argv + 1, argv + argc);
        args = berth::cli::mark_command_start(std::move(args));
        std::reverse(args.begin(), args.end());  // CLI11 takes them last-first
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return exit_code;
}
