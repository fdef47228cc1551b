// Model-wide interpolation, following compose-go's interpolation package and the list of typed
// attributes in its loader (loader/interpolate.go): values are expanded one by one, and those
// attributes are converted back to numbers and booleans because quoting a template is the only
// way to write `cpus: "${CPUS}"` in YAML.
#include "compose/interpolate.hpp"

#include <array>
#include <cerrno>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "compose/error.hpp"
#include "compose/template.hpp"
#include "go_text.hpp"

namespace berth::compose {

namespace {

enum class Cast { None, Int, Int64, Float, Float32, Bool };

// A path segment as the casting table sees it ("[]" stands for any list item) and as messages
// print it (the item's index).
struct Segment {
    std::string match;
    std::string print;
};
using Path = std::vector<Segment>;

struct CastRule {
    std::array<std::string_view, 6> parts;
    Cast cast;
};

// "*" matches any key or item. Paths under services start with "services", "*".
constexpr std::array kCastRules = {
    CastRule{{"services", "*", "cpu_count"}, Cast::Int64},
    CastRule{{"services", "*", "cpu_percent"}, Cast::Float},
    CastRule{{"services", "*", "cpu_period"}, Cast::Int64},
    CastRule{{"services", "*", "cpu_quota"}, Cast::Int64},
    CastRule{{"services", "*", "cpu_rt_period"}, Cast::Int64},
    CastRule{{"services", "*", "cpu_rt_runtime"}, Cast::Int64},
    CastRule{{"services", "*", "cpus"}, Cast::Float32},
    CastRule{{"services", "*", "cpu_shares"}, Cast::Int64},
    CastRule{{"services", "*", "init"}, Cast::Bool},
    CastRule{{"services", "*", "depends_on", "*", "required"}, Cast::Bool},
    CastRule{{"services", "*", "depends_on", "*", "restart"}, Cast::Bool},
    CastRule{{"services", "*", "deploy", "replicas"}, Cast::Int},
    CastRule{{"services", "*", "deploy", "update_config", "parallelism"}, Cast::Int},
    CastRule{{"services", "*", "deploy", "update_config", "max_failure_ratio"}, Cast::Float},
    CastRule{{"services", "*", "deploy", "rollback_config", "parallelism"}, Cast::Int},
    CastRule{{"services", "*", "deploy", "rollback_config", "max_failure_ratio"}, Cast::Float},
    CastRule{{"services", "*", "deploy", "restart_policy", "max_attempts"}, Cast::Int},
    CastRule{{"services", "*", "deploy", "placement", "max_replicas_per_node"}, Cast::Int},
    CastRule{{"services", "*", "healthcheck", "retries"}, Cast::Int},
    CastRule{{"services", "*", "healthcheck", "disable"}, Cast::Bool},
    CastRule{{"services", "*", "oom_kill_disable"}, Cast::Bool},
    CastRule{{"services", "*", "oom_score_adj"}, Cast::Int64},
    CastRule{{"services", "*", "pids_limit"}, Cast::Int64},
    CastRule{{"services", "*", "ports", "[]", "target"}, Cast::Int},
    CastRule{{"services", "*", "privileged"}, Cast::Bool},
    CastRule{{"services", "*", "read_only"}, Cast::Bool},
    CastRule{{"services", "*", "scale"}, Cast::Int},
    CastRule{{"services", "*", "stdin_open"}, Cast::Bool},
    CastRule{{"services", "*", "tty"}, Cast::Bool},
    CastRule{{"services", "*", "ulimits", "*"}, Cast::Int},
    CastRule{{"services", "*", "ulimits", "*", "hard"}, Cast::Int},
    CastRule{{"services", "*", "ulimits", "*", "soft"}, Cast::Int},
    CastRule{{"services", "*", "volumes", "[]", "read_only"}, Cast::Bool},
    CastRule{{"services", "*", "volumes", "[]", "volume", "nocopy"}, Cast::Bool},
    CastRule{{"networks", "*", "external"}, Cast::Bool},
    CastRule{{"networks", "*", "internal"}, Cast::Bool},
    CastRule{{"networks", "*", "attachable"}, Cast::Bool},
    CastRule{{"networks", "*", "enable_ipv4"}, Cast::Bool},
    CastRule{{"networks", "*", "enable_ipv6"}, Cast::Bool},
    CastRule{{"volumes", "*", "external"}, Cast::Bool},
    CastRule{{"secrets", "*", "external"}, Cast::Bool},
    CastRule{{"configs", "*", "external"}, Cast::Bool},
};

bool matches(const CastRule& rule, const Path& path) {
    std::size_t n = 0;
    while (n < rule.parts.size() && !rule.parts[n].empty()) ++n;
    if (n != path.size()) return false;
    for (std::size_t i = 0; i < n; ++i) {
        if (rule.parts[i] != "*" && rule.parts[i] != path[i].match) return false;
    }
    return true;
}

Cast cast_for(const Path& path) {
    for (const CastRule& rule : kCastRules) {
        if (matches(rule, path)) return rule.cast;
    }
    return Cast::None;
}

std::string dotted(const Path& path) {
    std::string out;
    for (const Segment& s : path) {
        if (!out.empty()) out += '.';
        out += s.print;
    }
    return out;
}

// The casts report failures in the words of Go's strconv, as docker compose prints them.
struct CastError {
    std::string message;
};

std::string syntax_error(std::string_view fn, const std::string& value, std::string_view why) {
    return "strconv." + std::string(fn) + ": parsing " + gotext::quote(value) + ": " +
           std::string(why);
}

// strconv.Atoi / ParseInt(s, 10, 64): optional sign, decimal digits, nothing else.
std::string cast_int(const std::string& value, std::string_view fn) {
    std::string_view digits = value;
    if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
    bool ok = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
    if (!ok) throw CastError{syntax_error(fn, value, "invalid syntax")};
    long long parsed = 0;
    const char* first = value.data() + (value[0] == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(first, value.data() + value.size(), parsed);
    if (ec == std::errc::result_out_of_range) {
        throw CastError{syntax_error(fn, value, "value out of range")};
    }
    return std::to_string(parsed);
}

bool is_special_float(std::string_view body) {
    std::string lower;
    for (char c : body) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return lower == "inf" || lower == "infinity" || lower == "nan";
}

// The decimal and hexadecimal spellings strconv.ParseFloat accepts (underscores aside).
bool float_syntax(std::string_view s) {
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
    if (is_special_float(s)) return true;
    bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    std::string_view digits = hex ? "0123456789abcdefABCDEF" : "0123456789";
    char exp = hex ? 'p' : 'e';
    std::size_t i = hex ? 2 : 0;
    std::size_t mantissa = 0;
    for (; i < s.size() && digits.find(s[i]) != std::string_view::npos; ++i) ++mantissa;
    if (i < s.size() && s[i] == '.') {
        for (++i; i < s.size() && digits.find(s[i]) != std::string_view::npos; ++i) ++mantissa;
    }
    if (mantissa == 0) return false;
    if (i == s.size()) return !hex;  // hexadecimal floats need their p exponent
    if (s[i] != exp && s[i] != exp - 32) return false;
    if (++i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i == s.size()) return false;
    return s.substr(i).find_first_not_of("0123456789") == std::string_view::npos;
}

std::string float_text(double v, bool single) {
    if (std::isnan(v)) return ".nan";
    if (std::isinf(v)) return v < 0 ? "-.inf" : ".inf";
    char buf[64];
    auto r = single ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(v))
                    : std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string cast_float(const std::string& value, bool single) {
    if (!float_syntax(value)) throw CastError{syntax_error("ParseFloat", value, "invalid syntax")};
    errno = 0;
    double v = std::strtod(value.c_str(), nullptr);
    bool overflow = (errno == ERANGE && std::isinf(v)) ||
                    (single && std::isfinite(v) && std::fabs(v) > FLT_MAX);
    if (overflow) throw CastError{syntax_error("ParseFloat", value, "value out of range")};
    return float_text(v, single);
}

// Compose accepts the YAML 1.1 spellings here too (with a warning in docker compose).
std::string cast_bool(const std::string& value) {
    std::string lower;
    for (char c : value) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (lower == "true" || lower == "y" || lower == "yes" || lower == "on") return "true";
    if (lower == "false" || lower == "n" || lower == "no" || lower == "off") return "false";
    throw CastError{"invalid boolean: " + value};
}

std::string apply_cast(Cast cast, const std::string& value) {
    switch (cast) {
        case Cast::Int:
            return cast_int(value, "Atoi");
        case Cast::Int64:
            return cast_int(value, "ParseInt");
        case Cast::Float:
            return cast_float(value, false);
        case Cast::Float32:
            return cast_float(value, true);
        case Cast::Bool:
            return cast_bool(value);
        case Cast::None:
            break;
    }
    return value;
}

[[noreturn]] void fail_template(const Node& node, const Path& path, const TemplateFailure& f) {
    if (f.kind == TemplateFailure::Kind::InvalidTemplate) {
        fail(node.mark, "invalid interpolation format for " + dotted(path) +
                            ".\nYou may need to escape any $ with another $.\n" + f.template_text);
    }
    fail(node.mark, "error while interpolating " + dotted(path) + ": " + f.message());
}

void interpolate_scalar(Node& node, const Path& path, const Lookup& lookup) {
    if (node.text.find('$') == std::string::npos) return;
    Expansion e = expand_template(node.text, lookup);
    if (e.failure) fail_template(node, path, *e.failure);
    Cast cast = cast_for(path);
    if (cast == Cast::None) {
        node.text = std::move(e.text);
        node.quoted = true;
        return;
    }
    try {
        node.text = apply_cast(cast, e.text);
    } catch (const CastError& err) {
        fail(node.mark, "error while interpolating " + dotted(path) +
                            ": failed to cast to expected type: " + err.message);
    }
    node.quoted = false;
}

void walk(Node& node, Path& path, const Lookup& lookup) {
    if (node.is_scalar()) {
        interpolate_scalar(node, path, lookup);
    } else if (node.is_map()) {
        for (Entry& entry : node.entries) {
            path.push_back({entry.key, entry.key});
            walk(entry.value, path, lookup);
            path.pop_back();
        }
    } else if (node.is_seq()) {
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            path.push_back({"[]", std::to_string(i)});
            walk(node.items[i], path, lookup);
            path.pop_back();
        }
    }
}

}  // namespace

void interpolate(Node& root, const Lookup& lookup) {
    Path path;
    walk(root, path, lookup);
}

}  // namespace berth::compose
