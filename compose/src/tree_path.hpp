// Attribute paths inside a compose document ("services.web.build.args") and the glob patterns
// ("services.*.build.args") the merge and unicity rules are registered under.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth::compose::detail {

class TreePath {
  public:
    // Keys are whole segments: a key holding a dot ("com.example.label") is still one segment.
    TreePath next(std::string_view key) const {
        TreePath p = *this;
        p.parts_.emplace_back(key);
        return p;
    }

    // `*` in the pattern stands for any one key; segment counts must agree.
    bool matches(std::string_view pattern) const {
        std::size_t i = 0;
        while (true) {
            std::size_t dot = pattern.find('.');
            std::string_view seg = pattern.substr(0, dot);
            if (i == parts_.size() || (seg != "*" && seg != parts_[i])) return false;
            ++i;
            if (dot == std::string_view::npos) return i == parts_.size();
            pattern.remove_prefix(dot + 1);
        }
    }

    std::string str() const {
        std::string out;
        for (const auto& p : parts_) {
            if (!out.empty() && (p.empty() || p.front() != '[')) out += '.';
            out += p;
        }
        return out;
    }

    bool empty() const { return parts_.empty(); }

  private:
    std::vector<std::string> parts_;
};

}  // namespace berth::compose::detail
