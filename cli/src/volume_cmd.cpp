#include "volume_cmd.hpp"

#include <iostream>
#include <memory>

#include "network_request.hpp"
#include "prompt.hpp"
#include "volume_format.hpp"

namespace berth::cli {
namespace {

using json = nlohmann::json;

struct VolumeFlags {
    std::vector<std::string> names, filters, opts, labels;
    std::string format, driver = "local";
    bool quiet = false, force = false, all = false;
};

// docker's client words a daemon's refusal as "Error response from daemon: MSG".
Result<json> call(const ApiClient& c, const Request& req) {
    auto r = c.call(req);
    if (!r) return r.error();
    if (!r->ok()) return Error("Error response from daemon: " + r->error_message());
    if (r->body.empty()) return json::object();
    json doc = json::parse(r->body, nullptr, false);
    if (doc.is_discarded()) return Error("unreadable reply from berthd to " + req.target);
    return doc;
}

int report(const Error& e) {
    std::cerr << e.message() << "\n";
    return 1;
}

std::string path(const std::string& name) {
    return "/v1/volumes/" + url_encode(name);
}

Result<std::map<std::string, std::string>> pairs(const std::vector<std::string>& items,
                                                 const char* flag) {
    std::map<std::string, std::string> out;
    for (const auto& item : items) {
        auto eq = item.find('=');
        if (eq == 0 || item.empty())
            return Error(std::string(flag) + " \"" + item + "\": want KEY=VALUE");
        out[item.substr(0, eq)] = eq == std::string::npos ? "" : item.substr(eq + 1);
    }
    return out;
}

int run_ls(const VerbContext& ctx, const VolumeFlags& f) {
    auto filters = network_filters(f.filters);
    if (!filters) return report(filters.error());
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    std::string target = "/v1/volumes";
    if (!filters->empty()) target += "?filters=" + url_encode(filters->dump());
    auto r = call(*client, get_request(target));
    if (!r) return report(r.error());
    auto out = render_volume_ls(r->value("Volumes", json::array()), f.quiet, f.format);
    if (!out) return report(out.error());
    std::cout << *out;
    return 0;
}

int run_create(const VerbContext& ctx, const VolumeFlags& f) {
    auto opts = pairs(f.opts, "--opt");
    if (!opts) return report(opts.error());
    auto labels = pairs(f.labels, "--label");
    if (!labels) return report(labels.error());
    json body{{"Name", f.names.empty() ? "" : f.names.front()},
              {"Driver", f.driver},
              {"DriverOpts", *opts},
              {"Labels", *labels}};
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    auto r = call(*client, post_request("/v1/volumes/create", body.dump()));
    if (!r) return report(r.error());
    std::cout << r->value("Name", "") << "\n";
    return 0;
}

int run_rm(const VerbContext& ctx, const VolumeFlags& f) {
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    int code = 0;
    for (const auto& name : f.names) {
        Request req = get_request(path(name) + (f.force ? "?force=1" : ""));
        req.method = "DELETE";
        if (auto r = call(*client, req); !r) {
            code = report(r.error());
            continue;
        }
        std::cout << name << "\n";
    }
    return code;
}

int run_inspect(const VerbContext& ctx, const VolumeFlags& f) {
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    json all = json::array();
    int code = 0;
    for (const auto& name : f.names) {
        auto r = call(*client, get_request(path(name)));
        if (!r) {
            code = report(r.error());
            continue;
        }
        all.push_back(*r);
    }
    auto out = render_volume_inspect(all, f.format);
    if (!out) return report(out.error());
    std::cout << *out;
    return code;
}

int run_prune(const VerbContext& ctx, const VolumeFlags& f) {
    auto filters = network_filters(f.filters);
    if (!filters) return report(filters.error());
    if (f.all) (*filters)["all"] = json::array({"true"});
    const std::string question =
        f.all ? "WARNING! This will remove all local volumes not used by at least one container."
              : "WARNING! This will remove anonymous local volumes not used by at least one "
                "container.";
    if (!f.force && !confirm(std::cin, std::cout, question)) return 0;
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    std::string target = "/v1/volumes/prune";
    if (!filters->empty()) target += "?filters=" + url_encode(filters->dump());
    auto r = call(*client, post_request(target, "{}"));
    if (!r) return report(r.error());
    const auto deleted = r->value("VolumesDeleted", json::array());
    if (!deleted.empty()) {
        std::cout << "Deleted Volumes:\n";
        for (const auto& name : deleted) std::cout << name.get<std::string>() << "\n";
        std::cout << "\n";
    }
    std::cout << "Total reclaimed space: 0B\n";
    return 0;
}

}  // namespace

void add_volume_commands(CLI::App& app, VerbContext ctx) {
    CLI::App* volume = app.add_subcommand("volume", "Manage volumes");
    volume->require_subcommand(1);

    auto ls = std::make_shared<VolumeFlags>();
    auto* ls_cmd = volume->add_subcommand("ls", "List volumes");
    ls_cmd->alias("list");
    ls_cmd->add_flag("-q,--quiet", ls->quiet, "Only display volume names");
    ls_cmd
        ->add_option("-f,--filter", ls->filters,
                     "Provide filter values (name=, label=, driver=, dangling=true|false)")
        ->allow_extra_args(false);
    ls_cmd->add_option("--format", ls->format, "Format output: table, json, or a Go template");
    ls_cmd->callback([ctx, ls] { ctx.exit_code = run_ls(ctx, *ls); });

    auto c = std::make_shared<VolumeFlags>();
    auto* create = volume->add_subcommand("create", "Create a volume");
    create->add_option("-d,--driver", c->driver, "Specify volume driver name");
    create->add_option("-o,--opt", c->opts, "Set driver specific options")->allow_extra_args(false);
    create->add_option("--label", c->labels, "Set metadata for a volume")->allow_extra_args(false);
    create->add_option("VOLUME", c->names, "Volume name (a random one when none)");
    create->callback([ctx, c] { ctx.exit_code = run_create(ctx, *c); });

    auto r = std::make_shared<VolumeFlags>();
    auto* rm = volume->add_subcommand("rm", "Remove one or more volumes");
    rm->alias("remove");
    rm->add_flag("-f,--force", r->force, "Do not error if the volume does not exist");
    rm->add_option("VOLUME", r->names, "Volumes")->required();
    rm->callback([ctx, r] { ctx.exit_code = run_rm(ctx, *r); });

    auto i = std::make_shared<VolumeFlags>();
    auto* inspect = volume->add_subcommand("inspect", "Display detailed information on volumes");
    inspect->add_option("-f,--format", i->format, "Format output using a Go template, or json");
    inspect->add_option("VOLUME", i->names, "Volumes")->required();
    inspect->callback([ctx, i] { ctx.exit_code = run_inspect(ctx, *i); });

    auto p = std::make_shared<VolumeFlags>();
    auto* prune = volume->add_subcommand("prune", "Remove unused local volumes");
    prune->add_flag("-a,--all", p->all, "Remove all unused volumes, not just anonymous ones");
    prune->add_flag("-f,--force", p->force, "Do not prompt for confirmation");
    prune->add_option("--filter", p->filters, "Provide filter values (label=KEY[=VALUE])")
        ->allow_extra_args(false);
    prune->callback([ctx, p] { ctx.exit_code = run_prune(ctx, *p); });
}

}  // namespace berth::cli
