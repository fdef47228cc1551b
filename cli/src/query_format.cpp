#include "query_format.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "image_table.hpp"
#include "ps_table.hpp"

namespace berth::cli {
namespace {

std::string str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string scaled(double value, double base, const char* const* units, std::size_t count,
                   int digits) {
    std::size_t i = 0;
    while (value >= base && i + 1 < count) {
        value /= base;
        ++i;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g%s", digits, value, units[i]);
    return buf;
}

std::string short_id(std::string id) {
    if (id.starts_with("sha256:")) id = id.substr(7);
    return id.substr(0, 12);
}

}  // namespace

std::string human_size(double bytes) {
    static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    return scaled(bytes, 1000.0, units, 6, 3);
}

std::string bytes_size(double bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    return scaled(bytes, 1024.0, units, 6, 4);
}

std::string render_top(const nlohmann::json& top) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({});
    for (const auto& t : top.value("Titles", nlohmann::json::array())) {
        rows.back().push_back(t.is_string() ? t.get<std::string>() : t.dump());
    }
    for (const auto& p : top.value("Processes", nlohmann::json::array())) {
        rows.push_back({});
        for (const auto& cell : p) {
            rows.back().push_back(cell.is_string() ? cell.get<std::string>() : cell.dump());
        }
    }
    return render_columns(rows);
}

std::string render_project_images(const nlohmann::json& rows, const std::string& format, bool quiet,
                                  std::time_t now) {
    if (quiet) {
        // Full ids without the algorithm, each once, as docker compose prints them.
        std::vector<std::string> ids;
        for (const auto& r : rows) {
            std::string id = str(r, "ID");
            if (auto colon = id.find(':'); colon != std::string::npos) id = id.substr(colon + 1);
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
        }
        std::string out;
        for (const auto& id : ids) out += id + "\n";
        return out;
    }
    if (format == "json") return rows.dump() + "\n";
    std::vector<const nlohmann::json*> sorted;
    for (const auto& r : rows) sorted.push_back(&r);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
        return str(*a, "ContainerName") < str(*b, "ContainerName");
    });
    std::vector<std::vector<std::string>> table = {
        {"CONTAINER", "REPOSITORY", "TAG", "PLATFORM", "IMAGE ID", "SIZE", "CREATED"}};
    for (const auto* r : sorted) {
        std::string repo = str(*r, "Repository"), tag = str(*r, "Tag");
        std::string created = str(*r, "Created");
        table.push_back({str(*r, "ContainerName"), repo.empty() ? "<none>" : repo,
                         tag.empty() ? "<none>" : tag, str(*r, "Platform"), short_id(str(*r, "ID")),
                         human_size(r->value("Size", 0.0)),
                         created.empty() ? "N/A" : human_age(created, now)});
    }
    return render_columns(table);
}

std::string render_stats(const std::vector<StatsRow>& rows) {
    std::vector<std::vector<std::string>> table = {
        {"CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS"}};
    for (const auto& r : rows) {
        double usage = r.stats.value("memory_usage", 0.0);
        double limit = r.stats.value("memory_limit", 0.0);
        char cpu[32], mem[32];
        std::snprintf(cpu, sizeof cpu, "%.2f%%", r.stats.value("cpu_percent", 0.0));
        std::snprintf(mem, sizeof mem, "%.2f%%", limit > 0 ? usage * 100.0 / limit : 0.0);
        table.push_back({short_id(str(r.container, "ID")), str(r.container, "Name"), cpu,
                         bytes_size(usage) + " / " + bytes_size(limit), mem,
                         std::to_string(r.stats.value("pids", 0))});
    }
    return render_columns(table);
}

std::string render_projects(const nlohmann::json& projects, const std::string& format, bool quiet) {
    std::string out;
    if (quiet) {
        for (const auto& p : projects) out += str(p, "Name") + "\n";
        return out;
    }
    if (format == "json") return projects.dump() + "\n";
    std::vector<std::vector<std::string>> rows = {{"NAME", "STATUS", "CONFIG FILES"}};
    for (const auto& p : projects) {
        rows.push_back({str(p, "Name"), str(p, "Status"), str(p, "ConfigFiles")});
    }
    return render_columns(rows);
}

std::string format_event(const nlohmann::json& event) {
    // RFC 3339 "2026-11-29T05:00:00.123456789Z" -> "2026-11-29 05:00:00.123456".
    std::string time = str(event, "time");
    if (time.size() >= 19) {
        std::string frac;
        auto dot = time.find('.', 19);
        if (dot != std::string::npos) {
            for (std::size_t i = dot + 1; i < time.size() && std::isdigit(time[i]) != 0; ++i) {
                frac += time[i];
            }
        }
        frac.resize(6, '0');
        time = time.substr(0, 10) + " " + time.substr(11, 8) + "." + frac;
    }
    std::string out = time + " container " + str(event, "action") + " " + str(event, "id");
    std::string attrs;
    const nlohmann::json attributes = event.value("attributes", nlohmann::json::object());
    for (const auto& [k, v] : attributes.items()) {
        attrs += (attrs.empty() ? "" : ", ") + k + "=" +
                 (v.is_string() ? v.get<std::string>() : v.dump());
    }
    return attrs.empty() ? out : out + " (" + attrs + ")";
}

std::string format_event_json(const nlohmann::json& event) {
    nlohmann::ordered_json out = {
        {"time", str(event, "time")},
        {"type", str(event, "type")},
        {"action", str(event, "action")},
        {"service", event.value("attributes", nlohmann::json::object()).value("service", "")},
        {"id", str(event, "id")},
        {"attributes", event.value("attributes", nlohmann::json::object())}};
    return out.dump();
}

}  // namespace berth::cli
