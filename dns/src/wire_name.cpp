// Domain names in wire form, their presentation form, and the reverse names of PTR queries.
#include <algorithm>
#include <cstdio>

#include "dns/wire.hpp"

namespace berth::dns {

namespace {

std::uint8_t fold(std::uint8_t c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + ('a' - 'A')) : c;
}

// Length bytes are at most 63, below 'A', so folding the whole wire form only touches label text.
bool equal_folded(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (fold(a[i]) != fold(b[i])) return false;
    }
    return true;
}

bool ieq(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           equal_folded(reinterpret_cast<const std::uint8_t*>(a.data()),
                        reinterpret_cast<const std::uint8_t*>(b.data()), a.size());
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// "0".."255" without leading zeros: "02" is not how any tool writes an octet, so it is not one.
std::optional<std::uint8_t> parse_octet(std::string_view s) {
    if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v > 255) return std::nullopt;
    return static_cast<std::uint8_t>(v);
}

// The character of the escape starting at text[i] ('\\'), `\X` or `\DDD` (RFC 1035 5.1); i is
// left on its last character.
std::optional<char> unescape(std::string_view text, std::size_t& i) {
    if (i + 1 >= text.size()) return std::nullopt;
    char e = text[i + 1];
    if (e < '0' || e > '9') {
        i += 1;
        return e;
    }
    if (i + 3 >= text.size()) return std::nullopt;
    unsigned value = 0;
    for (std::size_t k = 1; k <= 3; ++k) {
        char d = text[i + k];
        if (d < '0' || d > '9') return std::nullopt;
        value = value * 10 + static_cast<unsigned>(d - '0');
    }
    if (value > 255) return std::nullopt;
    i += 3;
    return static_cast<char>(value);
}

}  // namespace

std::string_view Name::label(std::size_t i) const {
    if (i >= labels_) return {};
    std::size_t off = offsets_[i];
    return {reinterpret_cast<const char*>(wire_.data() + off + 1), wire_[off]};
}

bool Name::append_label(std::string_view label) {
    if (label.empty() || label.size() > kMaxLabel) return false;
    if (size_ + 1 + label.size() > kMaxNameWire) return false;
    std::size_t at = size_ - 1;  // over the root's zero
    offsets_[labels_++] = static_cast<std::uint8_t>(at);
    wire_[at] = static_cast<std::uint8_t>(label.size());
    std::copy(label.begin(), label.end(), wire_.begin() + static_cast<std::ptrdiff_t>(at + 1));
    size_ = static_cast<std::uint8_t>(at + 1 + label.size() + 1);
    wire_[size_ - 1] = 0;
    return true;
}

bool Name::equals(const Name& other) const {
    return size_ == other.size_ && equal_folded(wire_.data(), other.wire_.data(), size_);
}

bool Name::ends_with(const Name& suffix) const {
    if (suffix.labels_ > labels_) return false;
    std::size_t start = suffix.labels_ == labels_ ? 0 : offsets_[labels_ - suffix.labels_];
    if (suffix.labels_ == 0) start = size_ - 1u;
    return size_ - start == suffix.size_ &&
           equal_folded(wire_.data() + start, suffix.wire_.data(), suffix.size_);
}

Name Name::lowered() const {
    Name n = *this;
    for (std::size_t i = 0; i < size_; ++i) n.wire_[i] = fold(n.wire_[i]);
    return n;
}

std::string to_lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(fold(static_cast<std::uint8_t>(c)));
    return out;
}

Result<Name> parse_name(std::string_view text) {
    Name name;
    if (text.empty() || text == ".") return name;
    std::array<char, kMaxLabel + 1> label{};
    std::size_t len = 0;
    auto fail = [&](const char* why) {
        return Error("invalid domain name \"" + std::string(text) + "\": " + why);
    };
    auto close_label = [&]() -> const char* {
        if (len == 0) return "empty label";
        if (len > kMaxLabel) return "label longer than 63 bytes";
        if (!name.append_label({label.data(), len})) return "longer than 255 bytes";
        len = 0;
        return nullptr;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '.') {
            if (const char* why = close_label()) return fail(why);
            continue;
        }
        if (c == '\\') {
            auto unescaped = unescape(text, i);
            if (!unescaped) return fail("bad escape");
            c = *unescaped;
        }
        if (len > kMaxLabel) return fail("label longer than 63 bytes");
        label[len++] = c;
    }
    if (len > 0) {
        if (const char* why = close_label()) return fail(why);
    }
    return name;
}

std::string to_string(const Name& name) {
    if (name.is_root()) return ".";
    std::string out;
    out.reserve(name.wire_size());
    for (std::size_t i = 0; i < name.label_count(); ++i) {
        for (char c : name.label(i)) {
            auto u = static_cast<unsigned char>(c);
            if (c == '.' || c == '\\') {
                out += '\\';
                out += c;
            } else if (u > 0x20 && u < 0x7f) {
                out += c;
            } else {
                char esc[5];
                std::snprintf(esc, sizeof esc, "\\%03u", u);
                out += esc;
            }
        }
        out += '.';
    }
    return out;
}

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    IpAddress ip;
    ip.bytes[0] = a;
    ip.bytes[1] = b;
    ip.bytes[2] = c;
    ip.bytes[3] = d;
    return ip;
}

std::optional<IpAddress> parse_reverse_name(const Name& name) {
    std::size_t n = name.label_count();
    if (n == 6 && ieq(name.label(4), "in-addr") && ieq(name.label(5), "arpa")) {
        IpAddress ip;
        for (std::size_t i = 0; i < 4; ++i) {
            auto octet = parse_octet(name.label(i));
            if (!octet) return std::nullopt;
            ip.bytes[3 - i] = *octet;
        }
        return ip;
    }
    if (n == 34 && ieq(name.label(32), "ip6") && ieq(name.label(33), "arpa")) {
        IpAddress ip;
        ip.v6 = true;
        for (std::size_t i = 0; i < 32; ++i) {
            std::string_view nibble = name.label(i);
            int v = nibble.size() == 1 ? hex_value(nibble[0]) : -1;
            if (v < 0) return std::nullopt;
            // Label 0 is the low nibble of the last byte.
            std::size_t byte = 15 - i / 2;
            ip.bytes[byte] |= static_cast<std::uint8_t>(i % 2 == 0 ? v : v << 4);
        }
        return ip;
    }
    return std::nullopt;
}

Name reverse_name(const IpAddress& address) {
    Name name;
    if (!address.v6) {
        for (int i = 3; i >= 0; --i) {
            char buf[4];
            int len =
                std::snprintf(buf, sizeof buf, "%u", address.bytes[static_cast<std::size_t>(i)]);
            name.append_label({buf, static_cast<std::size_t>(len)});
        }
        name.append_label("in-addr");
    } else {
        static constexpr char kHex[] = "0123456789abcdef";
        for (int i = 15; i >= 0; --i) {
            std::uint8_t b = address.bytes[static_cast<std::size_t>(i)];
            name.append_label({&kHex[b & 0x0f], 1});
            name.append_label({&kHex[b >> 4], 1});
        }
        name.append_label("ip6");
    }
    name.append_label("arpa");
    return name;
}

}  // namespace berth::dns
