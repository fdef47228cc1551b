// String helpers the modules share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth {

// Every piece between separators, empty ones included: split("a::b", ":") is {"a", "", "b"}.
std::vector<std::string> split(std::string_view s, std::string_view sep);

// The non-empty pieces only: lists such as "a,,b" or COMPOSE_PROFILES=",dev".
std::vector<std::string> split_nonempty(std::string_view s, std::string_view sep);

// Whitespace-separated words: "8:0 Read 4096\n" is {"8:0", "Read", "4096"}.
std::vector<std::string> split_words(std::string_view s);

}  // namespace berth
