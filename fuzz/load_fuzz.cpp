// compose::load() on arbitrary bytes given as `-f -`. Every input must end in a Project or an
// error Result: a crash, a sanitizer report or a hang is a bug in the loader.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "compose/project.hpp"

namespace {

// An empty folder as the project directory, so that no .env or relative file of the machine
// running the fuzzer leaks into the results.
const std::string& project_dir() {
    static const std::string dir = [] {
        char tmpl[] = "/tmp/berth-fuzz-load-XXXXXX";
        if (mkdtemp(tmpl) == nullptr) std::abort();
        return std::string(tmpl);
    }();
    static const bool cleanup_registered = [] {
        // libFuzzer ends the process with exit(); the folder is empty, so rmdir is enough.
        return std::atexit([] { ::rmdir(project_dir().c_str()); }) == 0;
    }();
    (void)cleanup_registered;
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    berth::compose::LoadOptions options;
    options.files = {"-"};
    options.stdin_content.assign(reinterpret_cast<const char*>(data), size);
    options.project_directory = project_dir();
    options.cwd = project_dir();
    options.project_name = "fuzz";
    options.os_env = {{"HOME", "/root"}, {"TAG", "1.0"}, {"EMPTY", ""}};
    auto project = berth::compose::load(options);
    (void)project.ok();
    return 0;
}
