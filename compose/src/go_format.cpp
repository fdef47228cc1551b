#include "go_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace berth::compose::detail {
namespace {

std::string exponent_form(bool neg, const std::string& mantissa, int exp) {
    std::string e = std::to_string(std::abs(exp));
    if (e.size() < 2) e.insert(0, "0");
    return (neg ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + e;
}

std::string fixed_form(bool neg, const std::string& digits, int exp) {
    std::string out;
    if (exp < 0) {
        out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
        return (neg ? "-" : "") + out;
    }
    std::size_t point = static_cast<std::size_t>(exp) + 1;
    if (digits.size() <= point) {
        out = digits + std::string(point - digits.size(), '0');
    } else {
        out = digits.substr(0, point) + "." + digits.substr(point);
    }
    return (neg ? "-" : "") + out;
}

std::string scalar_text(const Node& n) {
    switch (n.type()) {
        case ScalarType::Int:
            if (auto v = n.as_int()) return std::to_string(*v);
            return n.text;
        case ScalarType::Float:
            if (auto v = n.as_float()) return go_float(*v);
            return n.text;
        case ScalarType::Bool:
            return *n.as_bool() ? "true" : "false";
        case ScalarType::String:
            break;
    }
    return n.text;
}

}  // namespace

std::string go_float(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string sci(buf, res.ptr);  // "-1.25e+02"
    auto e = sci.find('e');
    int exp = std::atoi(sci.c_str() + e + 1);
    bool neg = sci[0] == '-';
    std::string mantissa = sci.substr(neg ? 1 : 0, e - (neg ? 1 : 0));
    if (exp < -4 || exp >= 21) return exponent_form(neg, mantissa, exp);
    std::string digits;
    for (char c : mantissa) {
        if (c != '.') digits += c;
    }
    return fixed_form(neg, digits, exp);
}

std::string go_text(const Node& value) {
    switch (value.kind) {
        case Kind::Null:
            return "<nil>";
        case Kind::Scalar:
            return scalar_text(value);
        case Kind::Sequence: {
            std::string out = "[";
            for (const Node& item : value.items) out += (out.size() > 1 ? " " : "") + go_text(item);
            return out + "]";
        }
        case Kind::Mapping:
            break;
    }
    // Go prints mappings with their keys sorted.
    std::vector<const Entry*> entries;
    for (const Entry& e : value.entries) entries.push_back(&e);
    std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->key < b->key; });
    std::string out = "map[";
    for (const Entry* e : entries) {
        out += (out.size() > 4 ? " " : "") + e->key + ":" + go_text(e->value);
    }
    return out + "]";
}

}  // namespace berth::compose::detail
