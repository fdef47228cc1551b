#include "image_table.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <tuple>

#include "images/digest.hpp"
#include "images/images.hpp"
#include "images/reference.hpp"
#include "query_format.hpp"

namespace berth::cli {

// docker's units.HumanDuration, with " ago".
std::string human_age(const std::string& rfc3339, std::time_t now) {
    std::tm tm{};
    if (!strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return "N/A";
    long s = long(now - timegm(&tm));
    long m = s / 60, h = s / 3600;
    auto n = [](long v, const char* unit) { return std::to_string(v) + " " + unit + " ago"; };
    if (s < 1) return "Less than a second ago";
    if (s == 1) return "1 second ago";
    if (s < 60) return n(s, "seconds");
    if (m == 1) return "About a minute ago";
    if (m < 60) return n(m, "minutes");
    if (h == 1) return "About an hour ago";
    if (h < 48) return n(h, "hours");
    if (h < 24 * 7 * 2) return n(h / 24, "days");
    if (h < 24 * 30 * 2) return n(h / 24 / 7, "weeks");
    if (h < 24 * 365 * 2) return n(h / 24 / 30, "months");
    return n(h / 24 / 365, "years");
}

Result<std::vector<ImageRow>> store_image_rows(const images::Store& store) {
    auto list = images::list_images(store);
    if (!list) return list.error();
    std::vector<ImageRow> rows;
    for (const auto& i : *list) rows.push_back({i.names, i.id, i.created, i.size});
    return rows;
}

Result<std::vector<ImageRow>> json_image_rows(const nlohmann::json& list) {
    if (!list.is_array()) return Error("unreadable image list from berthd: not an array");
    std::vector<ImageRow> rows;
    try {
        for (const auto& j : list) {
            rows.push_back({j.value("Names", std::vector<std::string>{}), j.value("ID", ""),
                            j.value("Created", ""), j.value("Size", uint64_t{0})});
        }
    } catch (const nlohmann::json::exception& e) {
        return Error(std::string("unreadable image list from berthd: ") + e.what());
    }
    return rows;
}

std::string render_images(const std::vector<ImageRow>& images, bool quiet, std::time_t now) {
    std::vector<std::array<std::string, 5>> rows;
    for (const auto& i : images) {
        std::string id = images::digest_hex(i.id).substr(0, 12);
        std::vector<std::pair<std::string, std::string>> names;
        for (const auto& n : i.names) {
            auto r = images::parse_reference(n);
            if (r) names.emplace_back(r->familiar_name(), r->tag);
        }
        if (names.empty()) names.emplace_back("<none>", "<none>");
        for (const auto& [repo, tag] : names) {
            rows.push_back({repo, tag, id, human_age(i.created, now),
                            human_size(static_cast<double>(i.size))});
        }
    }
    std::string out;
    if (quiet) {
        for (const auto& r : rows) out += r[2] + "\n";
        return out;
    }
    std::array<std::string, 5> head = {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"};
    std::array<size_t, 5> w{};
    for (size_t c = 0; c < 5; ++c) {
        w[c] = head[c].size();
        for (const auto& r : rows) w[c] = std::max(w[c], r[c].size());
    }
    rows.insert(rows.begin(), head);
    for (const auto& r : rows) {
        for (size_t c = 0; c < 5; ++c) {
            out += r[c];
            if (c < 4) out += std::string(w[c] - r[c].size() + 3, ' ');
        }
        out += "\n";
    }
    return out;
}

}  // namespace berth::cli
