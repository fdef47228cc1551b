#include "scheduler/logging.hpp"

#include <cstdlib>

#include "compose/units.hpp"

namespace berth::scheduler {
namespace {

Error at(const compose::Node& n, const std::string& message) {
    return Error(n.mark.str() + ": " + message);
}

}  // namespace

Result<LogRotation> log_rotation_of(const compose::Node& service, const LogRotation& defaults) {
    LogRotation out = defaults;
    const compose::Node* logging = service.is_map() ? service.find("logging") : nullptr;
    if (logging == nullptr || !logging->is_map()) return out;
    const compose::Node* driver = logging->find("driver");
    // Other drivers have other options; json-file is the only one the monitor writes.
    if (driver != nullptr && driver->is_scalar() && driver->text != "json-file") return out;
    const compose::Node* options = logging->find("options");
    if (options == nullptr || !options->is_map()) return out;
    if (const compose::Node* size = options->find("max-size")) {
        auto bytes = compose::parse_bytes(size->text);
        if (!bytes || *bytes < 0) {
            return at(*size, "logging.options.max-size \"" + size->text +
                                 "\": want a size such as 10m or 1g");
        }
        out.max_size = static_cast<std::uint64_t>(*bytes);
    }
    if (const compose::Node* files = options->find("max-file")) {
        char* end = nullptr;
        long n = std::strtol(files->text.c_str(), &end, 10);
        if (files->text.empty() || *end != '\0' || n < 1 || n > 1000) {
            return at(*files, "logging.options.max-file \"" + files->text +
                                  "\": want a whole number from 1 to 1000");
        }
        out.max_file = static_cast<int>(n);
    }
    return out;
}

}  // namespace berth::scheduler
