// Checks a document against the rule table the way compose-go's JSON-schema validator does, and
// reports the problem compose-go would report: of all the failures found (every failing branch
// of a oneOf included), the one deepest in the document, an unknown key counting one level deeper
// than where it was written; the first found among equals.
#include <algorithm>
#include <cmath>
#include <deque>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "compose/error.hpp"
#include "compose/schema.hpp"
#include "schema_rules.hpp"

namespace berth::compose {
namespace {

using spec::Rule;

struct Issue {
    std::string path;  // dotted, list indexes as numbers
    std::string text;  // what follows the path
    Mark mark;
    std::size_t specificity;
};

using Issues = std::vector<Issue>;

// The JSON type names compose-go's messages use, in its order of display after sorting.
std::string wanted_types(std::uint8_t types) {
    static const std::pair<std::uint8_t, const char*> names[] = {
        {spec::Null, "null"},      {spec::Boolean, "boolean"}, {spec::Integer, "integer"},
        {spec::Number, "number"},  {spec::String, "string"},   {spec::Array, "array"},
        {spec::Object, "mapping"},
    };
    std::vector<std::string> want;
    for (const auto& [bit, name] : names) {
        if (types & bit) want.emplace_back(name);
    }
    std::sort(want.begin(), want.end());
    std::string out = want.back();
    if (want.size() > 1) {
        out = want[0];
        for (std::size_t i = 1; i + 1 < want.size(); ++i) out += ", " + want[i];
        out += " or " + want.back();
    }
    return out;
}

bool integral(const Node& n) {
    if (n.type() == ScalarType::Int) return true;
    auto v = n.as_float();
    return v && std::isfinite(*v) && std::floor(*v) == *v;
}

bool has_type(const Node& n, std::uint8_t types) {
    switch (n.kind) {
        case Kind::Null:
            return types & spec::Null;
        case Kind::Sequence:
            return types & spec::Array;
        case Kind::Mapping:
            return types & spec::Object;
        case Kind::Scalar:
            break;
    }
    switch (n.type()) {
        case ScalarType::Bool:
            return types & spec::Boolean;
        case ScalarType::String:
            return types & spec::String;
        case ScalarType::Int:
        case ScalarType::Float:
            return (types & spec::Number) || ((types & spec::Integer) && integral(n));
    }
    return false;
}

bool is_number(const Node& n) {
    return n.is_scalar() && (n.type() == ScalarType::Int || n.type() == ScalarType::Float);
}

// JSON equality: numbers by value, maps whatever their key order.
bool same_value(const Node& a, const Node& b) {
    if (is_number(a) && is_number(b)) return a.as_float() == b.as_float();
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case Kind::Null:
            return true;
        case Kind::Scalar:
            return a.type() == b.type() && a.text == b.text;
        case Kind::Sequence:
            return std::equal(a.items.begin(), a.items.end(), b.items.begin(), b.items.end(),
                              same_value);
        case Kind::Mapping:
            if (a.entries.size() != b.entries.size()) return false;
            for (const Entry& e : a.entries) {
                const Node* other = b.find(e.key);
                if (other == nullptr || !same_value(e.value, *other)) return false;
            }
            return true;
    }
    return false;
}

// How the validator quotes a value in a message: Go's %q, in single quotes.
std::string quote(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        switch (c) {
            case '\'':
                out += "\\'";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
        }
    }
    return out + "'";
}

std::string quoted_list(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::string_view n : names) out += (out.empty() ? "" : ", ") + quote(n);
    return out;
}

bool reset(const Node& n) {
    return n.tag == "!reset";
}

const std::regex& compiled(std::string_view pattern) {
    thread_local std::deque<std::pair<std::string_view, std::regex>> cache;
    for (const auto& [p, re] : cache) {
        if (p == pattern) return re;
    }
    return cache.emplace_back(pattern, std::regex(pattern.begin(), pattern.end())).second;
}

class Checker {
  public:
    // True when `node` satisfies `rule`; otherwise the problems are appended to `out`.
    bool check(const Node& node, const Rule& rule, Issues& out) {
        // A value left empty ("ssh:") has no position of its own worth showing: point at its key.
        const Mark& at = node.is_null() && node.text.empty() && key_mark_ ? *key_mark_ : node.mark;
        if (rule.types != 0 && !has_type(node, rule.types)) {
            report(out, at, "must be a " + wanted_types(rule.types));
            return false;
        }
        if (!rule.allowed.empty() && !allowed(node, rule)) {
            std::string values = quoted_list(rule.allowed);
            report(out, at,
                   rule.allowed.size() == 1 ? "value must be " + values
                                            : "value must be one of " + values);
            return false;
        }
        std::size_t before = out.size();
        if (node.is_map()) check_object(node, rule, out);
        if (node.is_seq()) check_array(node, rule, out);
        if (node.is_scalar()) check_scalar(node, rule, out);
        if (!rule.one_of.empty()) check_one_of(node, rule, out);
        return out.size() == before;
    }

  private:
    std::vector<std::string> path_;
    const Mark* key_mark_ = nullptr;  // the key of the value being checked, if it has one

    std::string path() const {
        std::string out;
        for (const auto& p : path_) out += (out.empty() ? "" : ".") + p;
        return out;
    }

    void report(Issues& out, const Mark& mark, std::string text, std::size_t extra = 0) {
        out.push_back(Issue{path(), std::move(text), mark, path_.size() + extra});
    }

    static bool allowed(const Node& node, const Rule& rule) {
        if (!node.is_string()) return false;
        return std::find(rule.allowed.begin(), rule.allowed.end(), node.text) != rule.allowed.end();
    }

    void check_child(const Node& child, const Rule* rule, std::string segment, const Mark* key_mark,
                     Issues& out) {
        if (rule == nullptr) return;
        path_.push_back(std::move(segment));
        const Mark* outer = std::exchange(key_mark_, key_mark);
        check(child, *rule, out);
        key_mark_ = outer;
        path_.pop_back();
    }

    void check_object(const Node& node, const Rule& rule, Issues& out) {
        std::vector<std::string_view> missing;
        for (std::string_view name : rule.required) {
            const Node* v = node.find(name);
            if (v == nullptr || reset(*v)) missing.push_back(name);
        }
        if (!missing.empty()) {
            report(out, node.mark,
                   (missing.size() == 1 ? "missing property " : "missing properties ") +
                       quoted_list(missing));
        }
        std::vector<std::string_view> extra;
        const Mark* extra_mark = nullptr;
        for (const Entry& e : node.entries) {
            if (reset(e.value)) continue;
            bool known = false;
            if (const spec::Field* f = rule.field(e.key)) {
                known = true;
                check_child(e.value, f->rule, e.key, &e.key_mark, out);
            }
            for (const auto& p : rule.patterns) {
                if (!spec::keys_match(p.keys, e.key)) continue;
                known = true;
                check_child(e.value, p.rule, e.key, &e.key_mark, out);
            }
            if (!known && rule.closed) {
                extra.push_back(e.key);
                if (extra_mark == nullptr) extra_mark = &e.key_mark;
            }
        }
        if (!extra.empty())
            report(out, *extra_mark, "additional properties " + quoted_list(extra) + " not allowed",
                   1);
    }

    void check_array(const Node& node, const Rule& rule, Issues& out) {
        std::vector<const Node*> items;
        for (const Node& item : node.items) {
            if (!reset(item)) items.push_back(&item);
        }
        if (rule.unique_items) check_unique(node, items, out);
        if (rule.items == nullptr) return;
        for (std::size_t i = 0; i < items.size(); ++i)
            check_child(*items[i], rule.items, std::to_string(i), nullptr, out);
    }

    void check_unique(const Node& node, const std::vector<const Node*>& items, Issues& out) {
        for (std::size_t i = 1; i < items.size(); ++i) {
            for (std::size_t j = 0; j < i; ++j) {
                if (same_value(*items[i], *items[j])) {
                    report(out, items[i]->mark.known() ? items[i]->mark : node.mark,
                           "items at " + std::to_string(j) + " and " + std::to_string(i) +
                               " are equal");
                    return;
                }
            }
        }
    }

    void check_scalar(const Node& node, const Rule& rule, Issues& out) {
        if (!rule.pattern.empty() && node.is_string()) {
            if (!std::regex_search(node.text, compiled(rule.pattern))) {
                report(out, node.mark,
                       quote(node.text) + " does not match pattern " + quote(rule.pattern));
            }
        }
        if (!is_number(node)) return;
        double v = node.as_float().value_or(0);
        if (rule.minimum && v < static_cast<double>(*rule.minimum)) {
            report(out, node.mark,
                   "must be greater than or equal to " + std::to_string(*rule.minimum));
        }
        if (rule.maximum && v > static_cast<double>(*rule.maximum)) {
            report(out, node.mark,
                   "must be less than or equal to " + std::to_string(*rule.maximum));
        }
    }

    void check_one_of(const Node& node, const Rule& rule, Issues& out) {
        Issues failures;
        int matched = -1;
        for (std::size_t i = 0; i < rule.one_of.size(); ++i) {
            Issues attempt;
            if (!check(node, *rule.one_of[i], attempt)) {
                if (matched < 0) failures.insert(failures.end(), attempt.begin(), attempt.end());
            } else if (matched < 0) {
                matched = static_cast<int>(i);
            } else {
                report(out, node.mark,
                       "oneOf failed, subschemas " + std::to_string(matched) + ", " +
                           std::to_string(i) + " matched");
                return;
            }
        }
        if (matched < 0) out.insert(out.end(), failures.begin(), failures.end());
    }
};

}  // namespace

void validate_schema(const Node& root) {
    if (!root.is_map()) fail(root.mark, "top-level object must be a mapping");
    Issues issues;
    Checker checker;
    if (checker.check(root, spec::compose_file_rule(), issues)) return;
    const Issue* best = &issues.front();
    for (const Issue& issue : issues) {
        if (issue.specificity > best->specificity) best = &issue;
    }
    fail(best->mark, best->path.empty() ? best->text : best->path + " " + best->text);
}

}  // namespace berth::compose
