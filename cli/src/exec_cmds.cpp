#include "exec_cmds.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>
#include <set>

#include "compose/shellwords.hpp"
#include "terminal.hpp"

namespace berth::cli {
namespace {

struct ExecFlags {
    bool detach = false, no_tty = false, rm = false, no_deps = false, service_ports = false;
    std::vector<std::string> publish;
    std::string user, workdir, entrypoint, name;
    std::vector<std::string> env, command;
    std::string service;
    int index = 1;
    CLI::Option* user_opt = nullptr;
    CLI::Option* workdir_opt = nullptr;
    CLI::Option* entrypoint_opt = nullptr;
};

// A tty for the process when our stdin is one and -T was not given, as docker compose decides.
bool wants_tty(const ExecFlags& f) {
    return !f.no_tty && !f.detach && ::isatty(0) != 0;
}

// Sends the request; the daemon either streams a result (detached) or asks for our stdio and
// writes the result when the process ends.
int run_attached(const ApiClient& client, const Request& req, bool tty, const GlobalFlags& global) {
    RawTerminal terminal;
    auto mode = parse_progress_mode(global.progress);
    if (!mode) return fail(mode.error());
    ProgressPrinter printer(*mode, std::cerr, &elapsed_seconds);
    auto r = client.stream(
        req, [&](std::string_view line) { printer.line(line); },
        [&] {
            if (tty) terminal.enter(0);
        });
    terminal.restore();
    if (!r) return fail(r.error());
    if (!r->ok()) return fail(r->error_message());
    const StreamResult& res = printer.result();
    if (!res.seen) return fail("berthd ended the reply without a result");
    if (!res.ok && !res.message.empty()) std::cerr << "berth: " << res.message << "\n";
    return res.exit_status();
}

int run_exec(const VerbContext& ctx, const ExecFlags& f) {
    if (f.command.empty())
        return fail("exec needs a command: berth exec SERVICE COMMAND [ARGS...]");
    auto ref = project_ref(ctx.project);
    if (!ref) return fail(ref.error());
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    auto id = container_id(*client, ref->name, f.service, f.index, false);
    if (!id) return fail(id.error());
    bool tty = wants_tty(f);
    Body body = {{"cmd", f.command},     {"env", f.env}, {"user", f.user},
                 {"workdir", f.workdir}, {"tty", tty},   {"detach", f.detach}};
    Request req = post_request("/v1/containers/" + *id + "/exec", body.dump());
    return run_attached(*client, req, tty, ctx.global);
}

Body optional_string(const CLI::Option* opt, const std::string& value) {
    return opt->count() > 0 ? Body(value) : Body(nullptr);
}

Result<Body> run_options(const ExecFlags& f, bool tty) {
    Body entrypoint(nullptr);
    if (f.entrypoint_opt->count() > 0) {
        auto words = compose::split_shell_words(f.entrypoint);
        if (!words) return words.error().context("--entrypoint");
        entrypoint = *words;
    }
    return Body{{"command", f.command.empty() ? Body(nullptr) : Body(f.command)},
                {"entrypoint", entrypoint},
                {"env", f.env},
                {"user", optional_string(f.user_opt, f.user)},
                {"workdir", optional_string(f.workdir_opt, f.workdir)},
                {"tty", tty},
                {"interactive", !f.detach},
                {"rm", f.rm},
                {"no_deps", f.no_deps},
                {"name", f.name.empty() ? Body(nullptr) : Body(f.name)},
                {"detach", f.detach},
                {"service_ports", f.service_ports},
                {"publish", f.publish}};
}

int run_run(const VerbContext& ctx, const ExecFlags& f) {
    if (f.detach && f.rm) return fail("--detach and --rm are incompatible");
    auto project = load_project(ctx.project);
    if (!project) return fail(project.error());
    if (project->service(f.service) == nullptr) return fail("no such service: " + f.service);
    bool tty = wants_tty(f);
    auto options = run_options(f, tty);
    if (!options) return fail(options.error());
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    Body body = {{"project", model_json(*project)}, {"service", f.service}, {"options", *options}};
    Request req = post_request(project_path(project->name, "run"), body.dump());
    return run_attached(*client, req, tty, ctx.global);
}

// SERVICE and the command after it: every word after SERVICE belongs to the command, even
// ones that look like flags (`berth exec web ls -la`).
void add_service_and_command(CLI::App* cmd, ExecFlags& f, bool command_required) {
    cmd->add_option("SERVICE", f.service, "Service")->required();
    auto* c = cmd->add_option("COMMAND", f.command, "Command and its arguments");
    if (command_required) c->required();
}

void add_common(CLI::App* cmd, ExecFlags& f) {
    cmd->add_flag("-d,--detach", f.detach, "Detached mode: run the command in the background");
    cmd->add_flag("-T,--no-TTY", f.no_tty, "Disable pseudo-TTY allocation");
    f.user_opt = cmd->add_option("-u,--user", f.user, "Run the command as this user");
    f.workdir_opt = cmd->add_option("-w,--workdir", f.workdir, "Path to workdir directory");
    cmd->add_option("-e,--env", f.env, "Set environment variables")->allow_extra_args(false);
}

bool takes_value(const std::string& flag) {
    static const std::set<std::string> with_value = {"-u",
                                                     "--user",
                                                     "-w",
                                                     "--workdir",
                                                     "-e",
                                                     "--env",
                                                     "--index",
                                                     "--entrypoint",
                                                     "--name",
                                                     "-f",
                                                     "--file",
                                                     "-p",
                                                     "--project-name",
                                                     "--project-directory",
                                                     "--env-file",
                                                     "--profile",
                                                     "-H",
                                                     "--host",
                                                     "--tls-ca",
                                                     "--tls-cert",
                                                     "--tls-key",
                                                     "--ansi",
                                                     "--progress",
                                                     "--data-root",
                                                     "--storage-driver"};
    return with_value.count(flag) > 0;
}

}  // namespace

std::vector<std::string> mark_command_start(std::vector<std::string> args) {
    std::size_t i = 0;
    while (i < args.size() && args[i] != "exec" && args[i] != "run") {
        i += takes_value(args[i]) ? 2 : 1;
    }
    for (++i; i < args.size(); ++i) {
        if (args[i] == "--") return args;
        if (!args[i].starts_with("-")) {
            args.insert(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, "--");
            return args;
        }
        if (takes_value(args[i])) ++i;
    }
    return args;
}

void add_exec_commands(CLI::App& app, VerbContext ctx) {
    auto e = std::make_shared<ExecFlags>();
    CLI::App* exec = app.add_subcommand("exec", "Execute a command in a running container");
    add_common(exec, *e);
    exec->add_option("--index", e->index, "Index of the container if service has replicas");
    add_service_and_command(exec, *e, true);
    exec->callback([ctx, e] { ctx.exit_code = run_exec(ctx, *e); });

    auto r = std::make_shared<ExecFlags>();
    CLI::App* run = app.add_subcommand("run", "Run a one-off command on a service");
    add_common(run, *r);
    run->add_flag("--rm", r->rm, "Automatically remove the container when it exits");
    r->entrypoint_opt =
        run->add_option("--entrypoint", r->entrypoint, "Override the entrypoint of the image");
    run->add_flag("--no-deps", r->no_deps, "Don't start linked services");
    run->add_option("--name", r->name, "Assign a name to the container");
    run->add_flag("-P,--service-ports", r->service_ports,
                  "Run command with all service's ports enabled and mapped to the host");
    run->add_option("-p,--publish", r->publish, "Publish a container's port(s) to the host")
        ->allow_extra_args(false);
    add_service_and_command(run, *r, false);
    run->callback([ctx, r] { ctx.exit_code = run_run(ctx, *r); });
}

}  // namespace berth::cli
