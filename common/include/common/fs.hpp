// Small file helpers shared by the modules that read user files.
#pragma once

#include <string>

#include "common/result.hpp"

namespace berth {

// Reads a whole file; the error names the path and the errno text.
Result<std::string> read_file(const std::string& path);

}  // namespace berth
