// Shared bookkeeping for the conformance families: counts, the list of known misses with their
// reasons, and the rule that every family passes at least 95% with every miss explained.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "common/fs.hpp"
#include "compose/node.hpp"
#include "compose/yaml.hpp"

namespace berth::conformance {

// The corpus path without "..", so paths the loader prints compare equal to the expected ones.
inline std::string corpus(const std::string& rel) {
    return std::filesystem::weakly_canonical(std::string(BERTH_CONFORMANCE_DIR) + "/" + rel)
        .string();
}

inline compose::Node read_yaml(const std::string& path) {
    auto text = read_file(path);
    if (!text) throw std::runtime_error(text.error().message());
    auto docs = compose::parse_yaml(*text, path);
    if (docs.empty()) throw std::runtime_error(path + ": empty");
    return docs.front();
}

// A case the family is allowed to miss, and why. Every entry is a real difference we chose to keep.
struct KnownMiss {
    const char* name;
    const char* reason;
};

class Family {
  public:
    Family(std::string name, std::vector<KnownMiss> known)
        : name_(std::move(name)), known_(std::move(known)) {}

    void pass() { ++passed_; }
    void fail(const std::string& test, const std::string& why) {
        ++failed_;
        for (const auto& k : known_) {
            if (test == k.name) {
                explained_.push_back(test + " (known: " + k.reason + ")");
                return;
            }
        }
        unexplained_.push_back(test + ": " + why);
    }
    void check(bool ok, const std::string& test, const std::string& why) {
        ok ? pass() : fail(test, why);
    }

    // Prints the tally and turns it into test assertions.
    void finish() const {
        int total = passed_ + failed_;
        std::cout << "[conformance] " << name_ << ": " << passed_ << " passed, " << failed_
                  << " failed of " << total << "\n";
        for (const auto& e : explained_) std::cout << "  miss " << e << "\n";
        for (const auto& u : unexplained_) std::cout << "  FAIL " << u << "\n";
        EXPECT_GT(total, 0) << name_ << ": no cases ran";
        EXPECT_TRUE(unexplained_.empty())
            << name_ << ": " << unexplained_.size() << " unexplained failures";
        EXPECT_GE(passed_ * 100, total * 95) << name_ << ": below 95%";
    }

  private:
    std::string name_;
    std::vector<KnownMiss> known_;
    int passed_ = 0;
    int failed_ = 0;
    std::vector<std::string> explained_;
    std::vector<std::string> unexplained_;
};

}  // namespace berth::conformance
