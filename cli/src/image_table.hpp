// The `berth images` table: REPOSITORY TAG IMAGE ID CREATED SIZE, as docker prints it.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

#include "images/store.hpp"

namespace berth::cli {

int print_images(const images::Store& store, bool quiet);
// "4.26MB", "850kB": decimal units, three significant digits, as docker's go-units.
std::string human_size(uint64_t bytes);
// "5 minutes ago", from an RFC 3339 time.
std::string human_age(const std::string& rfc3339, std::time_t now);

}  // namespace berth::cli
