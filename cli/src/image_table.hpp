// The `berth images` table: REPOSITORY TAG IMAGE ID CREATED SIZE, as docker prints it. Rows come
// from the store (with --data-root) or from berthd's GET /v1/images; both render the same way.
#pragma once

#include <cstdint>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "images/store.hpp"

namespace berth::cli {

// One image as GET /v1/images carries it: {"Names":[...],"ID":"sha256:..","Created":"RFC 3339",
// "Size":N}.
struct ImageRow {
    std::vector<std::string> names;  // full references; empty for an untagged image
    std::string id;
    std::string created;
    uint64_t size = 0;
};

Result<std::vector<ImageRow>> store_image_rows(const images::Store& store);
Result<std::vector<ImageRow>> json_image_rows(const nlohmann::json& list);
// The table (or, quiet, one short id per line), each line ending in '\n'.
std::string render_images(const std::vector<ImageRow>& rows, bool quiet, std::time_t now);
// "5 minutes ago", from an RFC 3339 time.
std::string human_age(const std::string& rfc3339, std::time_t now);

}  // namespace berth::cli
