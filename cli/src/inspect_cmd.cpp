#include "inspect_cmd.hpp"

#include <iostream>
#include <memory>

namespace berth::cli {

namespace {

// Prints what it found, as docker inspect does, and fails when any name was not found.
int run_inspect(const VerbContext& ctx, const std::vector<std::string>& names) {
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    nlohmann::json out = nlohmann::json::array();
    int rc = 0;
    for (const auto& name : names) {
        auto j = get_json(*client, get_request("/v1/containers/" + url_encode(name) + "/json"));
        if (!j) {
            std::cerr << "Error: " << j.error().message() << "\n";
            rc = 1;
            continue;
        }
        out.push_back(std::move(*j));
    }
    std::cout << out.dump(4) << "\n";
    return rc;
}

}  // namespace

void add_inspect_command(CLI::App& app, VerbContext ctx) {
    auto names = std::make_shared<std::vector<std::string>>();
    CLI::App* cmd = app.add_subcommand("inspect", "Display detailed information on containers");
    cmd->add_option("CONTAINER", *names, "Container names or ids")->required();
    cmd->callback([ctx, names] { ctx.exit_code = run_inspect(ctx, *names); });
}

}  // namespace berth::cli
