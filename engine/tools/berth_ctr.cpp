// berth-ctr: containers one at a time, from the command line, with a berth-monitor each. The
// folder per container (--root, default /run/berth-ctr) is all the state there is, so any
// berth-ctr process (and later berthd) picks up containers started by another. See
// docs/engine.md, "Monitor and lifecycle".
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "ctr/ctr.hpp"
#include "engine/launch.hpp"
#include "engine/run_options.hpp"

namespace {

using berth::Error;
using berth::Result;
namespace ctr = berth::engine::ctr;

constexpr const char* kUsage =
    "usage: berth-ctr [--root DIR] VERB ...\n"
    "  create ID [OPTIONS] -- CMD [ARGS...]     run ID [OPTIONS] -- CMD [ARGS...]\n"
    "  start ID   stop ID [-t SECS]   kill ID [-s SIG]   pause ID   unpause ID   wait ID\n"
    "  restart ID [-t SECS]   rm ID [-f]   ps   inspect ID   logs ID   stats ID   top ID\n"
    "  exec ID [-e K=V]... [-u USER] [-w DIR] [-d] [-t] -- CMD [ARGS...]\n"
    "create OPTIONS: those of berth-run\n";

struct Args {
    std::string root = "/run/berth-ctr";
    std::string verb;
    std::vector<std::string> rest;
};

Result<Args> split_args(int argc, char** argv) {
    Args a;
    int i = 1;
    for (; i < argc; ++i) {
        std::string s = argv[i];
        if (s == "--root" && i + 1 < argc) {
            a.root = argv[++i];
        } else if (s.rfind("--root=", 0) == 0) {
            a.root = s.substr(7);
        } else {
            break;
        }
    }
    if (i >= argc) return Error("no verb given");
    a.verb = argv[i++];
    a.rest.assign(argv + i, argv + argc);
    return a;
}

// The flags of the small verbs: ID plus -t SECS / -s SIG / -f, in any order.
struct VerbFlags {
    std::string id;
    std::optional<std::string> value;  // of -t or -s
    bool force = false;
};

Result<VerbFlags> verb_flags(const std::vector<std::string>& rest, const std::string& value_flag,
                             bool takes_force) {
    VerbFlags f;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        const std::string& s = rest[i];
        if (!value_flag.empty() && s == value_flag && i + 1 < rest.size()) {
            f.value = rest[++i];
        } else if (takes_force && (s == "-f" || s == "--force")) {
            f.force = true;
        } else if (f.id.empty() && (s.empty() || s[0] != '-')) {
            f.id = s;
        } else {
            return Error("unexpected argument \"" + s + "\"");
        }
    }
    if (f.id.empty()) return Error("no container ID given");
    return f;
}

Result<std::optional<double>> timeout_of(const VerbFlags& f) {
    if (!f.value) return std::optional<double>{};
    char* end = nullptr;
    double v = std::strtod(f.value->c_str(), &end);
    if (f.value->empty() || *end != '\0' || v < 0) {
        return Error("-t \"" + *f.value + "\": want a number of seconds, 0 or more");
    }
    return std::optional<double>{v};
}

Result<ctr::ExecOptions> exec_options(const std::vector<std::string>& rest, std::string& id) {
    ctr::ExecOptions o;
    std::size_t i = 0;
    for (; i < rest.size(); ++i) {
        const std::string& s = rest[i];
        const bool has_value = i + 1 < rest.size();
        if (s == "--") {
            ++i;
            break;
        }
        if (s == "-e" && has_value)
            o.env.push_back(rest[++i]);
        else if (s == "-u" && has_value)
            o.user = rest[++i];
        else if (s == "-w" && has_value)
            o.cwd = rest[++i];
        else if (s == "-d")
            o.detach = true;
        else if (s == "-t")
            o.tty = true;
        else if (id.empty() && !s.empty() && s[0] != '-')
            id = s;
        else if (!id.empty() && !s.empty() && s[0] != '-')
            break;  // the command, without --
        else
            return Error("exec: unexpected argument \"" + s + "\"");
    }
    for (const auto& kv : o.env) {
        if (kv.find('=') == std::string::npos || kv[0] == '=') {
            return Error("exec: -e \"" + kv + "\": want K=V");
        }
    }
    if (id.empty()) return Error("no container ID given");
    o.args.assign(rest.begin() + static_cast<long>(i), rest.end());
    if (o.args.empty()) return Error("exec: no command given");
    return o;
}

int print_result(const Result<void>& r, const std::string& out) {
    std::fputs(out.c_str(), stdout);
    if (r) return 0;
    std::fprintf(stderr, "%s\n", r.error().message().c_str());
    return 1;
}

int do_exec(const Args& a) {
    std::string id;
    auto opts = exec_options(a.rest, id);
    if (!opts) return print_result(opts.error(), "");
    std::fflush(stdout);
    auto status = ctr::exec(a.root, id, *opts);
    if (status) return *status;
    std::fprintf(stderr, "%s\n", status.error().message().c_str());
    const bool exec_failed = status.error().message().rfind("exec \"", 0) == 0;
    return exec_failed ? berth::engine::launch_failure_status(status.error()) : 1;
}

int do_create(const Args& a, bool and_start) {
    if (a.rest.empty()) return print_result(Error("no container ID given"), "");
    const std::string id = a.rest[0];
    std::vector<std::string> args(a.rest.begin() + 1, a.rest.end());
    auto r = ctr::create(a.root, id, args);
    if (r && and_start) r = ctr::start(a.root, id);
    return print_result(r, "");
}

int dispatch(const Args& a) {
    std::string out;
    const std::string& v = a.verb;
    if (v == "create" || v == "run") return do_create(a, v == "run");
    if (v == "exec") return do_exec(a);
    if (v == "ps") return print_result(ctr::ps(a.root, out), out);
    const bool timed = v == "stop" || v == "restart";
    auto f = verb_flags(a.rest, timed ? "-t" : v == "kill" ? "-s" : "", v == "rm");
    if (!f) return print_result(f.error(), "");
    const std::string& id = f->id;
    if (timed) {
        auto t = timeout_of(*f);
        if (!t) return print_result(t.error(), "");
        auto r = ctr::stop(a.root, id, *t, out);
        if (r && v == "restart") r = ctr::start(a.root, id);
        return print_result(r, out);
    }
    if (v == "start") return print_result(ctr::start(a.root, id), out);
    if (v == "kill") return print_result(ctr::kill(a.root, id, f->value.value_or("KILL")), out);
    if (v == "pause" || v == "unpause")
        return print_result(ctr::pause(a.root, id, v == "pause"), out);
    if (v == "wait") return print_result(ctr::wait(a.root, id, out), out);
    if (v == "rm") return print_result(ctr::remove(a.root, id, f->force), out);
    if (v == "inspect") return print_result(ctr::inspect(a.root, id, out), out);
    if (v == "logs") return print_result(ctr::logs(a.root, id, out), out);
    if (v == "stats") return print_result(ctr::stats(a.root, id, out), out);
    if (v == "top") return print_result(ctr::top(a.root, id, out), out);
    return print_result(Error("unknown verb \"" + v + "\"\n" + kUsage), "");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::printf("%s%s", kUsage, berth::engine::run_options_usage());
        return 0;
    }
    auto args = split_args(argc, argv);
    if (!args) {
        std::fprintf(stderr, "%s\n%s", args.error().message().c_str(), kUsage);
        return 1;
    }
    return dispatch(*args);
}
