#include <cstdint>
#include <string>
#include <string_view>

#include "compose/units.hpp"

namespace berth::compose {

namespace {

constexpr std::uint64_t kNs = 1;
constexpr std::uint64_t kUs = 1000 * kNs;
constexpr std::uint64_t kMs = 1000 * kUs;
constexpr std::uint64_t kSec = 1000 * kMs;
constexpr std::uint64_t kMin = 60 * kSec;
constexpr std::uint64_t kHour = 60 * kMin;
constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;

std::uint64_t unit_of(std::string_view u) {
    if (u == "ns") return kNs;
    // Go accepts the micro sign (U+00B5) and the Greek mu (U+03BC) as well as "us".
    if (u == "us" || u == "\xc2\xb5s" || u == "\xce\xbcs") return kUs;
    if (u == "ms") return kMs;
    if (u == "s") return kSec;
    if (u == "m") return kMin;
    if (u == "h") return kHour;
    if (u == "d") return std::uint64_t{24} * kHour;
    if (u == "w") return std::uint64_t{7 * 24} * kHour;
    return 0;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

Error invalid(std::string_view orig) {
    return Error("time: invalid duration \"" + std::string(orig) + "\"");
}

// Digits at the front of s; false when the value leaves int64.
bool leading_int(std::string_view& s, std::uint64_t& v) {
    std::size_t i = 0;
    v = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
        if (v > (kLimit - 1) / 10) return false;
        v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
        if (v > kLimit) return false;
    }
    s.remove_prefix(i);
    return true;
}

// Fraction digits after the dot; digits past uint64 precision are dropped, as Go does.
void leading_fraction(std::string_view& s, std::uint64_t& f, double& scale) {
    std::size_t i = 0;
    bool overflow = false;
    f = 0;
    scale = 1;
    for (; i < s.size() && is_digit(s[i]); ++i) {
        if (overflow) continue;
        if (f > (kLimit - 1) / 10) {
            overflow = true;
            continue;
        }
        std::uint64_t y = f * 10 + static_cast<std::uint64_t>(s[i] - '0');
        if (y > kLimit) {
            overflow = true;
            continue;
        }
        f = y;
        scale *= 10;
    }
    s.remove_prefix(i);
}

}  // namespace

Result<Nanoseconds> parse_duration(std::string_view text) {
    std::string_view s = text;
    bool neg = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s == "0") return Nanoseconds{0};
    if (s.empty()) return invalid(text);
    std::uint64_t total = 0;
    while (!s.empty()) {
        if (!(s[0] == '.' || is_digit(s[0]))) return invalid(text);
        std::size_t before = s.size();
        std::uint64_t v = 0;
        if (!leading_int(s, v)) return invalid(text);
        bool pre = before != s.size();
        std::uint64_t f = 0;
        double scale = 1;
        bool post = false;
        if (!s.empty() && s[0] == '.') {
            s.remove_prefix(1);
            std::size_t at = s.size();
            leading_fraction(s, f, scale);
            post = at != s.size();
        }
        if (!pre && !post) return invalid(text);
        std::size_t i = 0;
        while (i < s.size() && s[i] != '.' && !is_digit(s[i])) ++i;
        if (i == 0) return Error("time: missing unit in duration \"" + std::string(text) + "\"");
        std::string_view u = s.substr(0, i);
        s.remove_prefix(i);
        std::uint64_t unit = unit_of(u);
        if (unit == 0) {
            return Error("time: unknown unit \"" + std::string(u) + "\" in duration \"" +
                         std::string(text) + "\"");
        }
        if (v > kLimit / unit) return invalid(text);
        v *= unit;
        if (f > 0) {
            v += static_cast<std::uint64_t>(static_cast<double>(f) *
                                            (static_cast<double>(unit) / scale));
            if (v > kLimit) return invalid(text);
        }
        total += v;
        if (total > kLimit) return invalid(text);
    }
    if (neg) return static_cast<Nanoseconds>(0 - total);
    if (total > kLimit - 1) return invalid(text);
    return static_cast<Nanoseconds>(total);
}

namespace {

// Appends v / 10^prec's fraction, without trailing zeros or a lone dot; returns v / 10^prec.
std::uint64_t format_fraction(std::string& out, std::uint64_t v, int prec) {
    std::string digits;
    bool printed = false;
    for (int i = 0; i < prec; ++i) {
        auto digit = static_cast<char>('0' + v % 10);
        printed = printed || digit != '0';
        if (printed) digits.insert(digits.begin(), digit);
        v /= 10;
    }
    if (printed) out.insert(0, "." + digits);
    return v;
}

}  // namespace

std::string format_duration(Nanoseconds d) {
    bool neg = d < 0;
    std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(d) : static_cast<std::uint64_t>(d);
    if (u == 0) return "0s";
    std::string out;
    if (u < kSec) {
        int prec = 0;
        std::string unit;
        if (u < kUs) {
            unit = "ns";
        } else if (u < kMs) {
            prec = 3;
            unit = "\xc2\xb5s";
        } else {
            prec = 6;
            unit = "ms";
        }
        out = unit;
        u = format_fraction(out, u, prec);
        out.insert(0, std::to_string(u));
    } else {
        out = "s";
        u = format_fraction(out, u, 9);
        out.insert(0, std::to_string(u % 60));
        u /= 60;
        if (u > 0) {
            out.insert(0, std::to_string(u % 60) + "m");
            u /= 60;
            if (u > 0) out.insert(0, std::to_string(u) + "h");
        }
    }
    return neg ? "-" + out : out;
}

}  // namespace berth::compose
