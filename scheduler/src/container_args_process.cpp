// The container's process: the image config under the service's and `run`'s overrides.
#include <charconv>

#include "compose/units.hpp"
#include "container_args_parts.hpp"
#include "engine/signals.hpp"
#include "scheduler/health.hpp"

namespace berth::scheduler::detail {
namespace {

using compose::Node;

std::optional<std::vector<std::string>> command_of(const ArgsBuilder& b, const char* key) {
    const Node* n = b.get(key);
    if (n == nullptr || !n->is_seq()) return std::nullopt;
    return texts(n);
}

// The service's environment, then `run -e`; a variable without a value and absent from the
// shell stays unset, as in docker compose.
std::vector<std::string> environment_of(const ArgsBuilder& b) {
    std::vector<std::string> env;
    if (const Node* e = b.get("environment"); e && e->is_map()) {
        for (const auto& entry : e->entries) {
            if (!entry.value.is_null()) env.push_back(entry.key + "=" + entry.value.text);
        }
    }
    env.insert(env.end(), b.ctx.extra_env.begin(), b.ctx.extra_env.end());
    return env;
}

Result<images::Overrides> overrides_of(const ArgsBuilder& b) {
    images::Overrides o;
    auto health = service_health(b.service);
    if (!health) return b.fail(health.error().message());
    o.healthcheck = std::move(health->check);
    o.healthcheck_disable = health->disable;
    o.entrypoint = b.ctx.entrypoint ? b.ctx.entrypoint : command_of(b, "entrypoint");
    o.command = b.ctx.command ? b.ctx.command : command_of(b, "command");
    // Docker's merge (daemon/commit.go): an empty Cmd is no Cmd, and an entrypoint reset to
    // empty keeps the image's Cmd rather than clearing it as a new entrypoint does.
    if (o.command && o.command->empty()) o.command.reset();
    if (o.entrypoint && o.entrypoint->empty() && !o.command) o.command = b.ctx.image.cmd;
    o.environment = environment_of(b);
    if (const Node* w = b.get("working_dir")) o.working_dir = w->text;
    if (b.ctx.workdir) o.working_dir = b.ctx.workdir;
    if (const Node* u = b.get("user")) o.user = u->text;
    if (b.ctx.user) o.user = b.ctx.user;
    if (const Node* s = b.get("stop_signal")) o.stop_signal = s->text;
    return o;
}

std::string seconds_text(double seconds) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, seconds);
    return std::string(buf, ec == std::errc() ? end : buf);
}

Result<void> add_stop(ArgsBuilder& b, const std::string& signal) {
    if (auto sig = engine::parse_signal(signal); !sig) {
        return b.fail("stop_signal: " + sig.error().message());
    }
    b.add("--stop-signal", signal);
    const Node* grace = b.get("stop_grace_period");
    if (grace == nullptr) return {};
    auto ns = compose::parse_duration(grace->text);
    if (!ns || *ns < 0) {
        return b.fail("stop_grace_period \"" + grace->text + "\": want a duration such as 30s");
    }
    b.add("--stop-timeout", seconds_text(static_cast<double>(*ns) / 1e9));
    return {};
}

// Without volumes (a context with no volume_source) image VOLUMEs stay in the container's layer;
// add_mounts gives each an anonymous volume otherwise.
void warn_image_volumes(ArgsBuilder& b, const images::ProcessSettings& p) {
    if (b.ctx.volume_source) return;
    for (const auto& v : p.volumes) {
        b.warnings.push_back("service \"" + b.ctx.service + "\": the image's volume " + v +
                             " is kept in the container's layer (volumes are not supported yet)");
    }
}

}  // namespace

Result<void> add_process(ArgsBuilder& b, ContainerArgs& out) {
    auto overrides = overrides_of(b);
    if (!overrides) return overrides.error();
    images::ProcessSettings p = images::apply_image_config(b.ctx.image, *overrides);
    if (p.args.empty()) {
        return b.fail("no command: the image has neither Entrypoint nor Cmd; set command");
    }
    for (const auto& kv : p.env) b.add("--env", kv);
    b.add("--cwd", p.working_dir);
    if (!p.user.empty()) b.add("--user", p.user);
    for (const auto& g : texts(b.get("group_add"))) b.add("--group-add", g);
    if (b.ctx.tty ? *b.ctx.tty : is_true(b.get("tty"))) b.add("--tty");
    if (auto ok = add_stop(b, p.stop_signal); !ok) return ok;
    warn_image_volumes(b, p);
    out.command = std::move(p.args);
    if (p.healthcheck) {
        if (auto argv = probe_command(p.healthcheck->test); !argv) {
            return b.fail(argv.error().message());
        }
    }
    out.healthcheck = std::move(p.healthcheck);
    return {};
}

}  // namespace berth::scheduler::detail
