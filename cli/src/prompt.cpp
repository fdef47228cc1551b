#include "prompt.hpp"

namespace berth::cli {

bool confirm(std::istream& in, std::ostream& out, const std::string& question) {
    out << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(in, answer)) return false;
    auto first = answer.find_first_not_of(" \t\r");
    auto last = answer.find_last_not_of(" \t\r");
    answer = first == std::string::npos ? "" : answer.substr(first, last - first + 1);
    return answer == "y" || answer == "Y";
}

}  // namespace berth::cli
