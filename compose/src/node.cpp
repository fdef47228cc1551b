#include "compose/node.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <regex>

namespace berth::compose {

std::string Mark::str() const {
    std::string out = file ? *file : std::string("<input>");
    if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
    return out;
}

Node Node::null(Mark m) {
    Node n;
    n.mark = std::move(m);
    return n;
}

Node Node::string(std::string s, Mark m) {
    Node n;
    n.kind = Kind::Scalar;
    n.text = std::move(s);
    n.quoted = true;
    n.mark = std::move(m);
    return n;
}

Node Node::plain(std::string s, Mark m) {
    Node n = string(std::move(s), std::move(m));
    n.quoted = false;
    return n;
}

Node Node::integer(std::int64_t v, Mark m) {
    return plain(std::to_string(v), std::move(m));
}
Node Node::boolean(bool v, Mark m) {
    return plain(v ? "true" : "false", std::move(m));
}

Node Node::sequence(Mark m) {
    Node n;
    n.kind = Kind::Sequence;
    n.mark = std::move(m);
    return n;
}

Node Node::mapping(Mark m) {
    Node n;
    n.kind = Kind::Mapping;
    n.mark = std::move(m);
    return n;
}

bool is_null_text(std::string_view t) {
    return t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL";
}

namespace {

bool all_digits(std::string_view s, int base) {
    if (s.empty()) return false;
    for (char c : s) {
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : 99;
        if (d >= base) return false;
    }
    return true;
}

bool is_int_text(std::string_view s) {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return all_digits(s.substr(2), 16);
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
        return all_digits(s.substr(2), 8);
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        return all_digits(s.substr(2), 2);
    // A leading zero reads as octal (YAML 1.1 habit kept by the Go reader): "0440" is 288, "09" is
    // a string.
    if (s.size() > 1 && s[0] == '0') return all_digits(s.substr(1), 8);
    return all_digits(s, 10);
}

bool is_float_text(std::string_view s) {
    static const std::regex re(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    static const std::regex special(R"([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
    std::string str(s);
    return std::regex_match(str, re) || std::regex_match(str, special);
}

}  // namespace

ScalarType resolve_plain(std::string_view t) {
    if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE") {
        return ScalarType::Bool;
    }
    if (t.empty()) return ScalarType::String;
    char c = t[0];
    bool numeric_start = (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
    if (!numeric_start) return ScalarType::String;
    if (is_int_text(t)) return ScalarType::Int;
    if (is_float_text(t)) return ScalarType::Float;
    return ScalarType::String;
}

ScalarType Node::type() const {
    if (quoted) return ScalarType::String;
    return resolve_plain(text);
}

std::optional<std::int64_t> Node::as_int() const {
    if (!is_scalar() || type() != ScalarType::Int) return std::nullopt;
    std::string s = text;
    bool neg = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s.erase(0, 1);
    }
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s.erase(0, 2);
    else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
        base = 8, s.erase(0, 2);
    else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        base = 2, s.erase(0, 2);
    else if (s.size() > 1 && s[0] == '0')
        base = 8;
    errno = 0;
    char* end = nullptr;
    unsigned long long v = std::strtoull(s.c_str(), &end, base);
    if (errno != 0 || end == s.c_str() || *end != '\0' || v > 9223372036854775807ULL)
        return std::nullopt;
    auto r = static_cast<std::int64_t>(v);
    return neg ? -r : r;
}

std::optional<double> Node::as_float() const {
    if (!is_scalar()) return std::nullopt;
    ScalarType t = type();
    if (t == ScalarType::Int) {
        auto i = as_int();
        if (!i) return std::nullopt;
        return static_cast<double>(*i);
    }
    if (t != ScalarType::Float) return std::nullopt;
    std::string s = text;
    if (s.find("inf") != std::string::npos || s.find("Inf") != std::string::npos ||
        s.find("INF") != std::string::npos) {
        return s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
    }
    if (s.find_first_of("nN") != std::string::npos) return std::nan("");
    return std::strtod(s.c_str(), nullptr);
}

std::optional<bool> Node::as_bool() const {
    if (!is_scalar() || type() != ScalarType::Bool) return std::nullopt;
    return text[0] == 't' || text[0] == 'T';
}

std::string Node::type_name() const {
    switch (kind) {
        case Kind::Null:
            return "null";
        case Kind::Sequence:
            return "array";
        case Kind::Mapping:
            return "mapping";
        case Kind::Scalar:
            break;
    }
    switch (type()) {
        case ScalarType::Int:
            return "integer";
        case ScalarType::Float:
            return "number";
        case ScalarType::Bool:
            return "boolean";
        case ScalarType::String:
            break;
    }
    return "string";
}

Node* Node::find(std::string_view key) {
    for (auto& e : entries) {
        if (e.key == key) return &e.value;
    }
    return nullptr;
}

const Node* Node::find(std::string_view key) const {
    for (const auto& e : entries) {
        if (e.key == key) return &e.value;
    }
    return nullptr;
}

const Entry* Node::find_entry(std::string_view key) const {
    for (const auto& e : entries) {
        if (e.key == key) return &e;
    }
    return nullptr;
}

Node& Node::set(std::string key, Node value) {
    if (Node* existing = find(key)) {
        *existing = std::move(value);
        return *existing;
    }
    Mark km = value.mark;
    entries.push_back(Entry{std::move(key), std::move(km), std::move(value), true});
    return entries.back().value;
}

bool Node::erase(std::string_view key) {
    auto it =
        std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.key == key; });
    if (it == entries.end()) return false;
    entries.erase(it);
    return true;
}

Node& Node::push(Node value) {
    items.push_back(std::move(value));
    return items.back();
}

bool operator==(const Node& a, const Node& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case Kind::Null:
            return true;
        case Kind::Scalar:
            return a.text == b.text && a.type() == b.type();
        case Kind::Sequence:
            return a.items == b.items;
        case Kind::Mapping:
            if (a.entries.size() != b.entries.size()) return false;
            for (std::size_t i = 0; i < a.entries.size(); ++i) {
                if (a.entries[i].key != b.entries[i].key ||
                    a.entries[i].value != b.entries[i].value) {
                    return false;
                }
            }
            return true;
    }
    return false;
}

}  // namespace berth::compose
