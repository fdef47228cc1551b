// Scalar attributes: durations, byte sizes, numbers, file modes, commands.
#include "typed_values.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "compose/shellwords.hpp"
#include "compose/units.hpp"
#include "tree_util.hpp"

namespace berth::compose::detail {

namespace {

void require_scalar(const Node& n, const std::string& what) {
    if (!n.is_scalar()) fail(n.mark, "unexpected value type " + n.type_name() + " for " + what);
}

bool is_zero(const Node& n) {
    if (n.is_null()) return false;  // a pointer field set to null is still printed
    if (n.is_map() || n.is_seq()) return n.empty_collection();
    if (n.text.empty()) return true;
    if (n.type() == ScalarType::Bool) return !*n.as_bool();
    if (n.type() == ScalarType::Int) return n.as_int() == 0;
    if (n.type() == ScalarType::Float) return n.as_float() == 0.0;
    return n.text == "0" || n.text == "0s";
}

}  // namespace

void to_duration(Node& n) {
    require_scalar(n, "duration");
    Result<Nanoseconds> d = parse_duration(n.text);
    if (!d) fail(n.mark, d.error().message());
    n = str(format_duration(*d), n.mark);
}

void to_bytes(Node& n) {
    require_scalar(n, "byte size");
    std::int64_t value = 0;
    if (n.type() == ScalarType::Int) {
        value = n.as_int().value_or(0);
    } else {
        Result<std::int64_t> b = parse_bytes(n.text);
        if (!b) fail(n.mark, b.error().message());
        value = *b;
    }
    n = str(std::to_string(value), n.mark);
}

namespace {

// Go's shortest float formatting: the digits of the shortest round-tripping representation,
// then %e when the exponent is below -4 or at least `eprec`, else %f.
std::string format_go_float(double value, bool single, int eprec) {
    if (value == 0) return "0";
    char buf[64];
    auto res = single ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(value),
                                      std::chars_format::scientific)
                      : std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    std::size_t e = sci.find('e');
    int exp = std::atoi(sci.c_str() + e + 1);
    std::string mantissa = sci.substr(0, e);
    bool neg = mantissa[0] == '-';
    if (neg) mantissa.erase(0, 1);
    std::string digits;
    for (char c : mantissa) {
        if (c != '.') digits += c;
    }
    std::string out;
    if (exp < -4 || exp >= eprec) {
        // Go prints at least two exponent digits: 1e-05, 1e+06.
        out = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "");
        char tail[16];
        std::snprintf(tail, sizeof tail, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        out += tail;
    } else if (exp < 0) {
        out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
    } else {
        auto int_len = static_cast<std::size_t>(exp) + 1;
        if (digits.size() <= int_len) {
            out = digits + std::string(int_len - digits.size(), '0');
        } else {
            out = digits.substr(0, int_len) + "." + digits.substr(int_len);
        }
    }
    return neg ? "-" + out : out;
}

}  // namespace

// strconv.FormatFloat(f, 'g', -1, 32), as the YAML encoder prints a float32.
std::string format_float32(double value) {
    return format_go_float(value, true, 6);
}

std::string go_scalar_text(const Node& n) {
    if (!n.is_scalar() || n.quoted) return scalar_text(n);
    switch (n.type()) {
        case ScalarType::Int:
            if (auto v = n.as_int()) return std::to_string(*v);
            return n.text;
        case ScalarType::Float: {
            double v = n.as_float().value_or(0);
            if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
            if (std::isnan(v)) return "NaN";
            return format_go_float(v, false, 21);  // fmt's %v
        }
        case ScalarType::Bool:
            return *n.as_bool() ? "true" : "false";
        case ScalarType::String:
            break;
    }
    return n.text;
}

void force_string(Node& n) {
    if (!n.is_scalar()) return;
    n.text = go_scalar_text(n);
    n.quoted = true;
}

void to_float32(Node& n) {
    require_scalar(n, "number");
    std::optional<double> v = n.as_float();
    if (!v && n.type() == ScalarType::String) {
        char* end = nullptr;
        double parsed = std::strtod(n.text.c_str(), &end);
        if (n.text.empty() || *end != '\0') {
            fail(n.mark, "strconv.ParseFloat: parsing \"" + n.text + "\": invalid syntax");
        }
        v = parsed;
    }
    if (!v) fail(n.mark, "unexpected value type " + n.type_name() + " for number");
    n = Node::plain(format_float32(*v), n.mark);
}

// Integers print in decimal, whatever base they were written in ("0755" is 493).
void to_int(Node& n) {
    require_scalar(n, "integer");
    Node probe = Node::plain(n.text, n.mark);
    std::optional<std::int64_t> v = probe.as_int();
    if (!v) fail(n.mark, "strconv.ParseInt: parsing \"" + n.text + "\": invalid syntax");
    n = Node::integer(*v, n.mark);
}

void to_bool(Node& n) {
    require_scalar(n, "boolean");
    std::string lower;
    for (char c : n.text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "true" || lower == "y" || lower == "yes" || lower == "on") {
        n = Node::boolean(true, n.mark);
    } else if (lower == "false" || lower == "n" || lower == "no" || lower == "off") {
        n = Node::boolean(false, n.mark);
    } else {
        fail(n.mark, "invalid boolean: " + n.text);
    }
}

void to_file_mode(Node& n) {
    require_scalar(n, "mode");
    std::int64_t mode = 0;
    if (n.type() == ScalarType::Int) {
        mode = n.as_int().value_or(0);
    } else {
        char* end = nullptr;
        mode = std::strtoll(n.text.c_str(), &end, 8);
        if (n.text.empty() || *end != '\0') {
            fail(n.mark, "strconv.ParseInt: parsing \"" + n.text + "\": invalid syntax");
        }
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "0%llo", static_cast<unsigned long long>(mode));
    n = str(buf, n.mark);
}

void to_shell_command(Node& n) {
    if (n.is_seq()) {
        for (Node& item : n.items) force_string(item);
        return;
    }
    if (!n.is_scalar()) return;
    Result<std::vector<std::string>> words = split_shell_words(n.text);
    if (!words) fail(n.mark, words.error().message());
    Node seq = Node::sequence(n.mark);
    for (const std::string& w : *words) seq.push(str(w, n.mark));
    n = std::move(seq);
}

void to_device_count(Node& n) {
    require_scalar(n, "device count");
    if (n.type() == ScalarType::Int) {
        to_int(n);
        return;
    }
    std::string lower;
    for (char c : n.text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "all") {
        n = Node::integer(-1, n.mark);
        return;
    }
    // A count given as a string is read in base 10 only.
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(n.text.c_str(), &end, 10);
    if (n.text.empty() || *end != '\0' || errno != 0 ||
        std::isspace(static_cast<unsigned char>(n.text[0]))) {
        fail(n.mark,
             "invalid value \"" + n.text + "\", the only value allowed is 'all' or a number");
    }
    n = Node::integer(v, n.mark);
}

void convert(Node& parent, std::string_view key, void (*conv)(Node&)) {
    if (Node* v = parent.is_map() ? parent.find(key) : nullptr) conv(*v);
}

void convert_omit_zero(Node& parent, std::string_view key, void (*conv)(Node&)) {
    if (!parent.is_map()) return;
    Node* v = parent.find(key);
    if (v == nullptr) return;
    if (!v->is_null()) conv(*v);
    if (is_zero(*v)) parent.erase(key);
}
}  // namespace berth::compose::detail
