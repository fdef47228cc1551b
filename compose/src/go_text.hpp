// Text rules the compose-go reference implementation inherits from Go, reproduced so that berth
// accepts the same input and prints the same messages: UTF-8 decoding with U+FFFD for bad bytes,
// Unicode space and letter classes, and strconv.Quote's escaping.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace berth::compose::gotext {

struct Rune {
    char32_t code = 0;
    std::size_t size = 0;  // bytes consumed; 1 for an invalid byte (decoded as U+FFFD)
};

inline constexpr char32_t kRuneError = 0xFFFD;

Rune decode(std::string_view s, std::size_t pos);
std::string encode(char32_t code);

// unicode.IsSpace: ASCII and Latin-1 spaces plus the White_Space code points above U+00FF.
bool is_unicode_space(char32_t c);
// unicode.IsLetter || unicode.IsNumber.
bool is_letter_or_number(char32_t c);

// strconv.Quote: the string in double quotes with Go escapes (what "%q" and "%#v" print).
std::string quote(std::string_view s);

// strings.TrimRightFunc(s, unicode.IsSpace).
std::string_view trim_right_space(std::string_view s);

}  // namespace berth::compose::gotext
