// Name normalisation shared by the snapshot builder and the lookup: DNS names compare without
// case (RFC 4343) and a trailing dot only marks a fully qualified name.
#pragma once

#include <string>
#include <string_view>

namespace berth::dns {

inline char lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string_view without_trailing_dot(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    return name;
}

inline std::string normalized(std::string_view name) {
    name = without_trailing_dot(name);
    std::string out(name.size(), '\0');
    for (std::size_t i = 0; i < name.size(); ++i) out[i] = lower_ascii(name[i]);
    return out;
}

}  // namespace berth::dns
