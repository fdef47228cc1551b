#include "common/strings.hpp"

namespace berth {

std::vector<std::string> split(std::string_view s, std::string_view sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t at = sep.empty() ? std::string_view::npos : s.find(sep, start);
        out.emplace_back(
            s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) break;
        start = at + sep.size();
    }
    return out;
}

std::vector<std::string> split_nonempty(std::string_view s, std::string_view sep) {
    std::vector<std::string> out;
    for (auto& part : split(s, sep)) {
        if (!part.empty()) out.push_back(std::move(part));
    }
    return out;
}

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    auto space = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    };
    while (i < s.size()) {
        while (i < s.size() && space(s[i])) ++i;
        std::size_t start = i;
        while (i < s.size() && !space(s[i])) ++i;
        if (i > start) out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

}  // namespace berth
