#include "image_table.hpp"

#include <array>
#include <cstdio>
#include <iostream>
#include <map>
#include <tuple>

#include "images/digest.hpp"
#include "images/images.hpp"
#include "images/reference.hpp"

namespace berth::cli {

std::string human_size(uint64_t bytes) {
    const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g%s", v, units[u]);
    return buf;
}

std::string human_age(const std::string& rfc3339, std::time_t now) {
    std::tm tm{};
    if (!strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return "N/A";
    long d = long(now - timegm(&tm));
    auto ago = [](long n, const char* unit) {
        return (n == 1 ? std::string(std::string(unit) == "hour" ? "An" : "A") + " " + unit
                       : std::to_string(n) + " " + unit + "s") +
               " ago";
    };
    if (d < 60) return "Less than a minute ago";
    if (d < 3600) return ago(d / 60, "minute");
    if (d < 2 * 86400) return ago(d / 3600, "hour");
    if (d < 14 * 86400) return ago(d / 86400, "day");
    if (d < 60 * 86400) return ago(d / (7 * 86400), "week");
    if (d < 730 * 86400) return ago(d / (30 * 86400), "month");
    return ago(d / (365 * 86400), "year");
}

int print_images(const images::Store& store, bool quiet) {
    auto list = images::list_images(store);
    if (!list) {
        std::cerr << "Error: " << list.error().message() << "\n";
        return 1;
    }
    std::vector<std::array<std::string, 5>> rows;
    std::time_t now = std::time(nullptr);
    for (const auto& i : *list) {
        std::string id = images::digest_hex(i.id).substr(0, 12);
        std::vector<std::pair<std::string, std::string>> names;
        for (const auto& n : i.names) {
            auto r = images::parse_reference(n);
            if (r) names.emplace_back(r->familiar_name(), r->tag);
        }
        if (names.empty()) names.emplace_back("<none>", "<none>");
        for (const auto& [repo, tag] : names) {
            rows.push_back({repo, tag, id, human_age(i.created, now), human_size(i.size)});
        }
    }
    if (quiet) {
        for (const auto& r : rows) std::cout << r[2] << "\n";
        return 0;
    }
    std::array<std::string, 5> head = {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"};
    std::array<size_t, 5> w{};
    for (size_t c = 0; c < 5; ++c) {
        w[c] = head[c].size();
        for (const auto& r : rows) w[c] = std::max(w[c], r[c].size());
    }
    rows.insert(rows.begin(), head);
    for (const auto& r : rows) {
        std::string line;
        for (size_t c = 0; c < 5; ++c) {
            line += r[c];
            if (c < 4) line += std::string(w[c] - r[c].size() + 3, ' ');
        }
        std::cout << line << "\n";
    }
    return 0;
}

}  // namespace berth::cli
