#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <regex>
#include <string>
#include <string_view>

#include "compose/units.hpp"

namespace berth::compose {

namespace {

bool parse_plain_int(const std::string& s, std::int64_t& out) {
    static const std::regex re(R"([-+]?[0-9]+)");
    if (!std::regex_match(s, re)) return false;
    errno = 0;
    long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == ERANGE) return false;
    out = v;
    return true;
}

// The decimal forms Go's strconv.ParseFloat reads (hex floats, inf and nan are left out: no size
// is ever written that way).
bool parse_decimal(const std::string& s, double& out) {
    static const std::regex re(R"([-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?)");
    if (!std::regex_match(s, re)) return false;
    out = std::strtod(s.c_str(), nullptr);
    return true;
}

std::int64_t binary_multiplier(char unit) {
    switch (unit) {
        case 'k':
            return std::int64_t{1} << 10;
        case 'm':
            return std::int64_t{1} << 20;
        case 'g':
            return std::int64_t{1} << 30;
        case 't':
            return std::int64_t{1} << 40;
        case 'p':
            return std::int64_t{1} << 50;
        default:
            return 0;
    }
}

Error bad_suffix(const std::string& suffix) {
    return Error("invalid suffix: '" + suffix + "'");
}

// Docker's RAMInBytes: the number ends at the last digit, dot or space; what follows is the unit.
Result<std::int64_t> ram_in_bytes(const std::string& s) {
    std::size_t sep = s.find_last_of("0123456789. ");
    if (sep == std::string::npos) return Error("invalid size: '" + s + "'");
    std::string num = s[sep] == ' ' ? s.substr(0, sep) : s.substr(0, sep + 1);
    std::string suffix = s.substr(sep + 1);
    double size = 0;
    if (!parse_decimal(num, size)) {
        return Error("strconv.ParseFloat: parsing \"" + num + "\": invalid syntax");
    }
    if (size < 0) return Error("invalid size: '" + s + "'");
    if (suffix.empty()) return static_cast<std::int64_t>(size);
    if (suffix.size() > 3) return bad_suffix(suffix);
    for (char& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (suffix[0] == 'b') {
        if (suffix.size() > 1) return bad_suffix(suffix);
        return static_cast<std::int64_t>(size);
    }
    std::int64_t mul = binary_multiplier(suffix[0]);
    if (mul == 0) return bad_suffix(suffix);
    if ((suffix.size() == 2 && suffix[1] != 'b') ||
        (suffix.size() == 3 && suffix.substr(1) != "ib")) {
        return bad_suffix(suffix);
    }
    return static_cast<std::int64_t>(size * static_cast<double>(mul));
}

}  // namespace

Result<std::int64_t> parse_bytes(std::string_view text) {
    std::string s(text);
    std::int64_t plain = 0;
    if (parse_plain_int(s, plain)) return plain;
    return ram_in_bytes(s);
}

}  // namespace berth::compose
