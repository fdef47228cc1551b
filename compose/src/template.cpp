// The template language of compose-go (template/template.go), re-derived from its regular
// expression
//   \$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|{(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|(?P<invalid>)))
// and its replacement rules, so that odd inputs expand the same way under berth as under
// docker compose: the braced form with an operator reaches the LAST "}" of the line (".*" is
// greedy and stops at newlines), is then cut at the "}" that balances "${", and whatever lies
// between the two is expanded separately and appended.
#include "compose/template.hpp"

#include <array>
#include <cstddef>

#include "go_text.hpp"

namespace berth::compose {

namespace {

using Failure = TemplateFailure;

bool name_start(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool name_char(char c) {
    return name_start(c) || (c >= '0' && c <= '9');
}
bool op_char(char c) {
    return c == '-' || c == '+' || c == '?';
}

enum class MatchKind { None, Escaped, Named, Braced, Invalid };

// One match of the pattern at a '$'. For Braced, name_end is where the name stops (counted from
// the '$') and op is the operator after it ("" for plain ${NAME}).
struct Match {
    MatchKind kind = MatchKind::None;
    std::size_t length = 0;
    std::size_t name_end = 0;
    std::string_view op = {};
};

std::size_t scan_name(std::string_view s, std::size_t pos) {
    while (pos < s.size() && name_char(s[pos])) ++pos;
    return pos;
}

// The last '}' at or after `from` before the end of the line, as ".*}" finds it.
std::size_t last_brace_on_line(std::string_view s, std::size_t from) {
    std::size_t line_end = s.find('\n', from);
    if (line_end == std::string_view::npos) line_end = s.size();
    if (line_end <= from) return std::string_view::npos;
    std::size_t brace = s.substr(from, line_end - from).rfind('}');
    return brace == std::string_view::npos ? brace : from + brace;
}

Match match_braced(std::string_view s, std::size_t dollar) {
    std::size_t start = dollar + 2;
    if (start >= s.size() || !name_start(s[start])) return {MatchKind::Invalid, 2};
    std::size_t end = scan_name(s, start);
    if (end < s.size() && s[end] == '}')
        return {MatchKind::Braced, end + 1 - dollar, end - dollar, {}};
    std::size_t op_len = 0;
    if (end + 1 < s.size() && s[end] == ':' && op_char(s[end + 1])) {
        op_len = 2;
    } else if (end < s.size() && op_char(s[end])) {
        op_len = 1;
    }
    if (op_len == 0) return {MatchKind::Invalid, 2};
    std::size_t close = last_brace_on_line(s, end + op_len);
    if (close == std::string_view::npos) return {MatchKind::Invalid, 2};
    return {MatchKind::Braced, close + 1 - dollar, end - dollar, s.substr(end, op_len)};
}

Match match_at(std::string_view s, std::size_t dollar) {
    if (dollar + 1 >= s.size()) return {};
    char next = s[dollar + 1];
    if (next == '$') return {MatchKind::Escaped, 2};
    if (name_start(next)) return {MatchKind::Named, scan_name(s, dollar + 1) - dollar};
    if (next == '{') return match_braced(s, dollar);
    return {};
}

// Where the "}" balancing the first "{" is. Mirrors compose-go, including its habit of skipping
// the character after every "{" (so "{}" inside a default does not close anything).
std::size_t closing_brace(std::string_view s) {
    int open = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '}' && --open == 0) return i;
        if (s[i] == '{') {
            ++open;
            ++i;
        }
    }
    return std::string_view::npos;
}

class Expander {
  public:
    explicit Expander(const Lookup& lookup) : lookup_(lookup) {}

    Expansion run(std::string_view tmpl) {
        Expansion out;
        for (std::size_t i = 0; i < tmpl.size();) {
            Match m = tmpl[i] == '$' ? match_at(tmpl, i) : Match{};
            if (m.kind == MatchKind::None) {
                out.text += tmpl[i++];
                continue;
            }
            Expansion piece = replace(tmpl.substr(i, m.length), m);
            if (piece.failure) {
                if (piece.failure->kind == Failure::Kind::InvalidTemplate &&
                    piece.failure->template_text.empty()) {
                    piece.failure->template_text = std::string(tmpl);
                }
                return piece;  // callers discard the text once anything failed
            }
            out.text += piece.text;
            i += m.length;
        }
        return out;
    }

  private:
    const Lookup& lookup_;

    std::string value_of(std::string_view name) { return lookup_(std::string(name)).value_or(""); }

    Expansion replace(std::string_view matched, const Match& m) {
        switch (m.kind) {
            case MatchKind::Escaped:
                return {"$", {}};
            case MatchKind::Named:
                return {value_of(matched.substr(1)), {}};
            case MatchKind::Invalid:
                return {"", Failure{}};
            default:
                break;
        }
        std::string_view name = matched.substr(2, m.name_end - 2);
        if (m.op.empty()) return {value_of(name), {}};
        return replace_operator(matched, name, m.op);
    }

    Expansion replace_operator(std::string_view matched, std::string_view name,
                               std::string_view op) {
        std::size_t close = closing_brace(matched);
        if (close == std::string_view::npos) close = matched.size() - 1;
        std::size_t arg_start = 2 + name.size() + op.size();
        std::string_view arg = matched.substr(arg_start, close - arg_start);
        std::string_view rest = matched.substr(close + 1);

        Expansion value = apply(name, op, arg);
        if (value.failure) return value;
        Expansion tail = run(rest);
        if (tail.failure) return tail;
        value.text += tail.text;
        return value;
    }

    // The argument after the operator is only expanded when its branch is taken, so an unset
    // variable inside an unused default neither fails nor counts as used.
    Expansion apply(std::string_view name, std::string_view op, std::string_view arg) {
        std::optional<std::string> value = lookup_(std::string(name));
        bool set = value.has_value();
        bool non_empty = set && !value->empty();
        bool colon = op.front() == ':';
        char kind = op.back();
        if (kind == '-') {
            if (colon ? non_empty : set) return {*value, {}};
            return run(arg);
        }
        if (kind == '+') {
            if (colon ? non_empty : set) return run(arg);
            return {"", {}};
        }
        if (colon ? non_empty : set) return {*value, {}};
        return missing(name, arg);
    }

    Expansion missing(std::string_view name, std::string_view message) {
        Expansion reason = run(message);
        if (reason.failure) return reason;
        Failure f;
        f.kind = Failure::Kind::MissingRequired;
        f.variable = std::string(name);
        f.reason = std::move(reason.text);
        return {"", std::move(f)};
    }
};

}  // namespace

std::string TemplateFailure::message() const {
    if (kind == Kind::InvalidTemplate) return "Invalid template: " + gotext::quote(template_text);
    std::string text = "required variable " + variable + " is missing a value";
    if (!reason.empty()) text += ": " + reason;
    return text;
}

Expansion expand_template(std::string_view text, const Lookup& lookup) {
    return Expander(lookup).run(text);
}

Result<std::string> substitute(std::string_view text, const Lookup& lookup) {
    Expansion e = expand_template(text, lookup);
    if (e.failure) return Error(e.failure->message());
    return std::move(e.text);
}

std::string operator_for(std::string_view braced_content) {
    static constexpr std::array<std::string_view, 6> kOperators = {":?", "?", ":-", "-", ":+", "+"};
    std::string_view best;
    std::size_t best_at = std::string_view::npos;
    for (std::string_view op : kOperators) {
        std::size_t at = braced_content.find(op);
        if (at < best_at) {
            best = op;
            best_at = at;
        }
    }
    return std::string(best);
}

}  // namespace berth::compose
