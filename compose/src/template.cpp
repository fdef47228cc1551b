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

// The last '}' of each line, found once per line: ".*}" reaches it from anywhere on the line, and
// a long line full of templates should not be searched again for each of them.
class LineBraces {
  public:
    explicit LineBraces(std::string_view s) : s_(s) {}

    // The last '}' at or after `from` and before the end of its line, or npos.
    std::size_t last_from(std::size_t from) {
        if (from >= s_.size()) return std::string_view::npos;
        if (from < line_start_ || from >= line_end_) load_line(from);
        return last_ != std::string_view::npos && last_ >= from ? last_ : std::string_view::npos;
    }

  private:
    std::string_view s_;
    std::size_t line_start_ = 0;
    std::size_t line_end_ = 0;
    std::size_t last_ = std::string_view::npos;

    void load_line(std::size_t from) {
        std::size_t before = from == 0 ? std::string_view::npos : s_.rfind('\n', from - 1);
        line_start_ = before == std::string_view::npos ? 0 : before + 1;
        line_end_ = s_.find('\n', from);
        if (line_end_ == std::string_view::npos) line_end_ = s_.size();
        std::size_t brace = s_.substr(line_start_, line_end_ - line_start_).rfind('}');
        last_ = brace == std::string_view::npos ? brace : line_start_ + brace;
    }
};

Match match_braced(std::string_view s, std::size_t dollar, LineBraces& braces) {
    std::size_t start = dollar + 2;
    if (start >= s.size() || !name_start(s[start])) return {MatchKind::Invalid, 2};
    std::size_t end = scan_name(s, start);
    if (end < s.size() && s[end] == '}') {
        return {MatchKind::Braced, end + 1 - dollar, end - dollar, {}};
    }
    std::size_t op_len = 0;
    if (end + 1 < s.size() && s[end] == ':' && op_char(s[end + 1])) {
        op_len = 2;
    } else if (end < s.size() && op_char(s[end])) {
        op_len = 1;
    }
    if (op_len == 0) return {MatchKind::Invalid, 2};
    std::size_t close = braces.last_from(end + op_len);
    if (close == std::string_view::npos) return {MatchKind::Invalid, 2};
    return {MatchKind::Braced, close + 1 - dollar, end - dollar, s.substr(end, op_len)};
}

Match match_at(std::string_view s, std::size_t dollar, LineBraces& braces) {
    if (dollar + 1 >= s.size()) return {};
    char next = s[dollar + 1];
    if (next == '$') return {MatchKind::Escaped, 2};
    if (name_start(next)) return {MatchKind::Named, scan_name(s, dollar + 1) - dollar};
    if (next == '{') return match_braced(s, dollar, braces);
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

// What replacing one match produced. A braced expression with an operator may leave a remainder
// (between its balancing "}" and the last "}" of the line) that is expanded as a template of its
// own: rest_at is where it starts, counted from the match.
struct Step {
    Expansion value;
    std::size_t rest_at = std::string_view::npos;
};

// Defaults nested deeper than this are refused rather than risk exhausting the stack; compose
// files never come near it.
constexpr int kMaxNesting = 256;

class Expander {
  public:
    explicit Expander(const Lookup& lookup) : lookup_(lookup) {}

    // Remainders are expanded in the same loop instead of recursively: they always end where the
    // match that left them ends, so they nest like a stack and only change which text a failure
    // names (compose reports the remainder as the template).
    Expansion run(std::string_view tmpl, int depth = 0) {
        if (depth > kMaxNesting) return too_deep(tmpl);
        Expansion out;
        LineBraces braces(tmpl);
        std::size_t scope_start = 0;
        std::size_t scope_end = tmpl.size();
        for (std::size_t i = 0; i < tmpl.size();) {
            if (i >= scope_end) {
                scope_start = 0;
                scope_end = tmpl.size();
            }
            Match m = tmpl[i] == '$' ? match_at(tmpl, i, braces) : Match{};
            if (m.kind == MatchKind::None) {
                out.text += tmpl[i++];
                continue;
            }
            Step step = replace(tmpl.substr(i, m.length), m, depth);
            if (step.value.failure) {
                name_template(*step.value.failure,
                              tmpl.substr(scope_start, scope_end - scope_start));
                return std::move(step.value);  // callers discard the text once anything failed
            }
            out.text += step.value.text;
            if (step.rest_at == std::string_view::npos) {
                i += m.length;
            } else {
                scope_start = i + step.rest_at;
                scope_end = i + m.length;
                i = scope_start;
            }
        }
        return out;
    }

  private:
    const Lookup& lookup_;

    static void name_template(Failure& f, std::string_view tmpl) {
        if (f.kind != Failure::Kind::MissingRequired && f.template_text.empty()) {
            f.template_text = std::string(tmpl);
        }
    }

    static Expansion too_deep(std::string_view tmpl) {
        Failure f;
        f.kind = Failure::Kind::TooDeep;
        f.template_text = std::string(tmpl);
        return {"", std::move(f)};
    }

    // An empty Lookup means an empty environment.
    std::optional<std::string> find(std::string_view name) const {
        if (!lookup_) return std::nullopt;
        return lookup_(std::string(name));
    }

    std::string value_of(std::string_view name) const { return find(name).value_or(""); }

    Step replace(std::string_view matched, const Match& m, int depth) {
        switch (m.kind) {
            case MatchKind::Escaped:
                return {{"$", {}}};
            case MatchKind::Named:
                return {{value_of(matched.substr(1)), {}}};
            case MatchKind::Invalid:
                return {{"", Failure{}}};
            default:
                break;
        }
        std::string_view name = matched.substr(2, m.name_end - 2);
        if (m.op.empty()) return {{value_of(name), {}}};
        std::size_t close = closing_brace(matched);
        if (close == std::string_view::npos) close = matched.size() - 1;
        std::size_t arg_start = 2 + name.size() + m.op.size();
        std::string_view arg = matched.substr(arg_start, close - arg_start);
        return {apply(name, m.op, arg, depth + 1), close + 1};
    }

    // The argument after the operator is only expanded when its branch is taken, so an unset
    // variable inside an unused default neither fails nor counts as used.
    Expansion apply(std::string_view name, std::string_view op, std::string_view arg, int depth) {
        std::optional<std::string> value = find(name);
        bool set = value.has_value();
        bool non_empty = set && !value->empty();
        bool colon = op.front() == ':';
        char kind = op.back();
        if (kind == '-') {
            if (colon ? non_empty : set) return {*value, {}};
            return run(arg, depth);
        }
        if (kind == '+') {
            if (colon ? non_empty : set) return run(arg, depth);
            return {"", {}};
        }
        if (colon ? non_empty : set) return {*value, {}};
        return missing(name, arg, depth);
    }

    Expansion missing(std::string_view name, std::string_view message, int depth) {
        Expansion reason = run(message, depth);
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
    if (kind == Kind::TooDeep) {
        return "template nested more than " + std::to_string(kMaxNesting) +
               " levels deep: " + gotext::quote(template_text);
    }
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
