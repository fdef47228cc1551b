// A fake cgroupfs for unit tests: a temp folder holding the files the kernel would show.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

class FakeCgroupFs {
  public:
    FakeCgroupFs() {
        std::string tmpl = std::filesystem::temp_directory_path() / "berth-cgroupfs-XXXXXX";
        root_ = mkdtemp(tmpl.data());
    }
    ~FakeCgroupFs() { std::filesystem::remove_all(root_); }

    const std::string& root() const { return root_; }

    // Writes root/<rel>, creating its folders.
    void put(const std::string& rel, const std::string& text = "") const {
        const auto path = std::filesystem::path(root_) / rel;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path) << text;
    }
    std::string get(const std::string& rel) const {
        std::ifstream in(std::filesystem::path(root_) / rel);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    bool has(const std::string& rel) const {
        return std::filesystem::exists(std::filesystem::path(root_) / rel);
    }

  private:
    std::string root_;
};
