#include "images/changes.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>

namespace berth::images {
namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Dockerfile words: whitespace separated, double or single quotes group, backslash escapes.
Result<std::vector<std::string>> words(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    bool in_word = false;
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char ch = s[i];
        if (quote) {
            if (ch == quote) {
                quote = 0;
            } else if (ch == '\\' && quote == '"' && i + 1 < s.size()) {
                cur += s[++i];
            } else {
                cur += ch;
            }
        } else if (ch == '"' || ch == '\'') {
            quote = ch;
            in_word = true;
        } else if (ch == '\\' && i + 1 < s.size()) {
            cur += s[++i];
            in_word = true;
        } else if (std::isspace(static_cast<unsigned char>(ch))) {
            if (in_word) out.push_back(cur);
            cur.clear();
            in_word = false;
        } else {
            cur += ch;
            in_word = true;
        }
    }
    if (quote) return Error("unterminated quote");
    if (in_word) out.push_back(cur);
    return out;
}

// The JSON (exec) form: an array of strings.
std::optional<std::vector<std::string>> json_form(const std::string& arg) {
    if (arg.empty() || arg.front() != '[') return std::nullopt;
    auto j = nlohmann::json::parse(arg, nullptr, false);
    if (j.is_discarded() || !j.is_array() ||
        !std::all_of(j.begin(), j.end(), [](const auto& e) { return e.is_string(); })) {
        return std::nullopt;
    }
    return j.get<std::vector<std::string>>();
}

// CMD/ENTRYPOINT: a JSON array (exec form) or a string run by /bin/sh -c (shell form).
Result<std::vector<std::string>> command_form(const std::string& arg) {
    if (auto v = json_form(arg)) return *v;
    if (arg.empty()) return Error("needs a command");
    return std::vector<std::string>{"/bin/sh", "-c", arg};
}

// ENV and LABEL: `K=V K2=V2` or the legacy `K V...` single pair.
Result<std::vector<std::pair<std::string, std::string>>> pairs(const std::string& arg) {
    auto w = words(arg);
    if (!w) return w.error();
    std::vector<std::pair<std::string, std::string>> out;
    if (w->empty()) return Error("needs at least one argument");
    if (w->front().find('=') == std::string::npos) {
        auto sp = arg.find_first_of(" \t");
        if (sp == std::string::npos) return Error("needs a value: " + arg);
        out.emplace_back(w->front(), trim(arg.substr(sp)));
        return out;
    }
    for (const auto& kv : *w) {
        auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) return Error("expected KEY=VALUE, got " + kv);
        out.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    return out;
}

Result<void> set_env(ImageConfig& c, const std::string& arg) {
    auto p = pairs(arg);
    if (!p) return p.error();
    for (const auto& [k, v] : *p) {
        auto it = std::find_if(c.env.begin(), c.env.end(),
                               [&](const std::string& e) { return e.rfind(k + "=", 0) == 0; });
        if (it != c.env.end()) {
            *it = k + "=" + v;
        } else {
            c.env.push_back(k + "=" + v);
        }
    }
    return {};
}

Result<void> add_ports(ImageConfig& c, const std::string& arg) {
    auto w = words(arg);
    if (!w || w->empty()) return Error("needs a port");
    for (auto p : *w) {
        if (p.find('/') == std::string::npos) p += "/tcp";
        auto slash = p.find('/');
        std::string num = p.substr(0, slash), proto = p.substr(slash + 1);
        if (num.empty() || !std::all_of(num.begin(), num.end(), ::isdigit) ||
            std::stoul(num.substr(0, 6)) > 65535 ||
            (proto != "tcp" && proto != "udp" && proto != "sctp")) {
            return Error("invalid port " + p);
        }
        c.exposed_ports.insert(p);
    }
    return {};
}

}  // namespace

Result<void> apply_change(ImageConfig& c, const std::string& line) {
    std::string t = trim(line);
    auto sp = t.find_first_of(" \t");
    std::string op = t.substr(0, sp), arg = sp == std::string::npos ? "" : trim(t.substr(sp));
    std::transform(op.begin(), op.end(), op.begin(), ::toupper);
    Result<void> r;
    if (op == "CMD" || op == "ENTRYPOINT") {
        auto v = command_form(arg);
        if (!v) {
            r = v.error();
        } else {
            (op == "CMD" ? c.cmd : c.entrypoint) = *v;
        }
    } else if (op == "ENV") {
        r = set_env(c, arg);
    } else if (op == "LABEL") {
        auto p = pairs(arg);
        if (!p) {
            r = p.error();
        } else {
            for (const auto& [k, v] : *p) c.labels[k] = v;
        }
    } else if (op == "WORKDIR" || op == "USER" || op == "STOPSIGNAL") {
        if (arg.empty()) r = Error("needs an argument");
        (op == "WORKDIR" ? c.working_dir : op == "USER" ? c.user : c.stop_signal) = arg;
    } else if (op == "EXPOSE") {
        r = add_ports(c, arg);
    } else if (op == "VOLUME") {
        auto w = words(arg);
        if (auto v = json_form(arg)) {
            c.volumes.insert(v->begin(), v->end());
        } else if (w && !w->empty()) {
            c.volumes.insert(w->begin(), w->end());
        } else {
            r = Error("needs a path");
        }
    } else {
        r = Error(
            "unknown instruction (allowed: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, "
            "STOPSIGNAL, USER, VOLUME, WORKDIR)");
    }
    if (!r) r.error().context("--change \"" + line + "\"");
    return r;
}

}  // namespace berth::images
