#include "go_text.hpp"

#include <locale.h>
#include <wctype.h>

namespace berth::compose::gotext {

namespace {

bool continuation(unsigned char b) {
    return (b & 0xC0) == 0x80;
}

// Rejects what Go's utf8.DecodeRuneInString rejects: overlong forms, surrogates, > U+10FFFF.
Rune decode_multibyte(std::string_view s, std::size_t pos, unsigned char lead) {
    std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (lead < 0xC2 || lead > 0xF4 || pos + need > s.size()) return {kRuneError, 1};
    char32_t code = lead & (0x7F >> need);
    for (std::size_t i = 1; i < need; ++i) {
        auto b = static_cast<unsigned char>(s[pos + i]);
        if (!continuation(b)) return {kRuneError, 1};
        code = (code << 6) | (b & 0x3F);
    }
    bool overlong = (need == 3 && code < 0x800) || (need == 4 && code < 0x10000);
    bool surrogate = code >= 0xD800 && code <= 0xDFFF;
    if (overlong || surrogate || code > 0x10FFFF) return {kRuneError, 1};
    return {code, need};
}

// Code points strconv.IsPrint refuses besides controls: spaces other than U+0020, format
// characters and the specials, so they print as \u escapes the way Go prints them.
bool go_printable_nonascii(char32_t c) {
    if (c < 0xA0) return false;
    if (c == 0xA0 || c == 0xAD || is_unicode_space(c)) return false;
    if ((c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
        (c >= 0x2060 && c <= 0x206F)) {
        return false;
    }
    if (c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) || c == 0xFFFE || c == 0xFFFF) return false;
    return true;
}

// \x41, \u00a0, \U0001f600: the prefix, then `width` lower-case hex digits.
void append_hex(std::string& out, char prefix, int width, unsigned value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    out += '\\';
    out += prefix;
    for (int shift = (width - 1) * 4; shift >= 0; shift -= 4)
        out += kDigits[(value >> shift) & 0xF];
}

void quote_rune(std::string& out, Rune r, std::string_view raw) {
    switch (r.code) {
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        case '\a':
            out += "\\a";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        case '\v':
            out += "\\v";
            return;
        default:
            break;
    }
    if (r.code == kRuneError && r.size == 1) {
        append_hex(out, 'x', 2, static_cast<unsigned char>(raw[0]));
    } else if (r.code < 0x80) {
        if (r.code >= 0x20 && r.code < 0x7F) {
            out += static_cast<char>(r.code);
        } else {
            append_hex(out, 'x', 2, static_cast<unsigned>(r.code));
        }
    } else if (go_printable_nonascii(r.code)) {
        out.append(raw.substr(0, r.size));
    } else if (r.code < 0x10000) {
        append_hex(out, 'u', 4, static_cast<unsigned>(r.code));
    } else {
        append_hex(out, 'U', 8, static_cast<unsigned>(r.code));
    }
}

// glibc's C.UTF-8 locale classifies the whole of Unicode; asked for once, never installed
// globally, so the process locale stays untouched.
locale_t utf8_locale() {
    static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    return loc;
}

}  // namespace

Rune decode(std::string_view s, std::size_t pos) {
    auto lead = static_cast<unsigned char>(s[pos]);
    if (lead < 0x80) return {lead, 1};
    return decode_multibyte(s, pos, lead);
}

std::string encode(char32_t c) {
    std::string out;
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
    return out;
}

bool is_unicode_space(char32_t c) {
    switch (c) {
        case '\t':
        case '\n':
        case '\v':
        case '\f':
        case '\r':
        case ' ':
        case 0x85:
        case 0xA0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202F:
        case 0x205F:
        case 0x3000:
            return true;
        default:
            return c >= 0x2000 && c <= 0x200A;
    }
}

bool is_letter_or_number(char32_t c) {
    if (c < 0x80) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
    if (c == kRuneError) return false;
    // Go counts the Latin-1 superscripts and fractions as numbers (category No); glibc does not.
    // Other No characters (circled digits and the like) may still differ, which only matters for
    // variable names nobody writes.
    if (c == 0xB2 || c == 0xB3 || c == 0xB9 || (c >= 0xBC && c <= 0xBE)) return true;
    locale_t loc = utf8_locale();
    if (loc == static_cast<locale_t>(0)) return !is_unicode_space(c);  // no tables: be lenient
    auto wc = static_cast<wint_t>(c);
    return iswalnum_l(wc, loc) != 0;
}

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        Rune r = decode(s, i);
        quote_rune(out, r, s.substr(i));
        i += r.size;
    }
    out += '"';
    return out;
}

std::string_view trim_right_space(std::string_view s) {
    std::size_t keep = 0;
    for (std::size_t i = 0; i < s.size();) {
        Rune r = decode(s, i);
        i += r.size;
        if (!is_unicode_space(r.code)) keep = i;
    }
    return s.substr(0, keep);
}

}  // namespace berth::compose::gotext
