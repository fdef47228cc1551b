#include "network_format.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "go_template.hpp"
#include "ps_table.hpp"

namespace berth::cli {
namespace {

using json = nlohmann::json;

constexpr const char* kDefaultTable = "{{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    return it->is_string() ? it->get<std::string>() : it->dump();
}

// Go's fmt prints a bool as true/false; docker's formatter hands these to templates as text.
std::string flag(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>() ? "true" : "false";
}

std::string labels_text(const json& network) {
    std::string out;
    auto it = network.find("Labels");
    if (it == network.end() || !it->is_object()) return out;
    for (const auto& [k, v] : it->items()) {  // sorted by key, so the text is stable
        out +=
            (out.empty() ? "" : ",") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    }
    return out;
}

// What a table template's header row is made of: each field's column title.
const json& headers() {
    static const json h = {{"ID", "NETWORK ID"}, {"Name", "NAME"},
                           {"Driver", "DRIVER"}, {"Scope", "SCOPE"},
                           {"IPv6", "IPV6"},     {"Internal", "INTERNAL"},
                           {"Labels", "LABELS"}, {"CreatedAt", "CREATED AT"}};
    return h;
}

std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, '\t');) out.push_back(cell);
    if (!line.empty() && line.back() == '\t') out.emplace_back();
    return out;
}

// Header and rows through docker's tabwriter layout; a row's own newlines start new lines.
Result<std::string> table(const GoTemplate& t, const std::vector<json>& rows) {
    std::vector<std::vector<std::string>> lines;
    auto add = [&](const json& dot) -> Result<void> {
        auto text = t.execute(dot);
        if (!text) return text.error();
        std::stringstream in(*text);
        for (std::string line; std::getline(in, line);) lines.push_back(cells(line));
        if (text->empty()) lines.emplace_back();
        return {};
    };
    if (auto ok = add(headers()); !ok) return ok.error();
    for (const auto& r : rows) {
        if (auto ok = add(r); !ok) return ok.error();
    }
    return render_columns(lines);
}

Result<std::string> each(const GoTemplate& t, const std::vector<json>& rows) {
    std::string out;
    for (const auto& r : rows) {
        auto text = t.execute(r);
        if (!text) return text.error();
        out += *text + "\n";
    }
    return out;
}

}  // namespace

std::string prune_report(const std::vector<std::string>& deleted) {
    if (deleted.empty()) return "";
    std::string out = "Deleted Networks:\n";
    for (const auto& n : deleted) out += n + "\n";
    return out + "\n";
}

std::string go_time_string(const std::string& t) {
    if (t.size() < 20 || t[10] != 'T') return t;
    std::size_t zone = t.find_first_of("Z+-", 19);
    if (zone == std::string::npos) return t;
    std::string clock = t.substr(11, zone - 11);
    if (auto dot = clock.find('.'); dot != std::string::npos) {
        while (clock.back() == '0') clock.pop_back();
        if (clock.back() == '.') clock.pop_back();
    }
    std::string offset = "+0000 UTC";
    if (t[zone] != 'Z') {
        std::string o = t.substr(zone);
        o.erase(std::remove(o.begin(), o.end(), ':'), o.end());
        offset = o + " " + o;
    }
    return t.substr(0, 10) + " " + clock + " " + offset;
}

json network_ls_fields(const json& n, bool no_trunc) {
    std::string id = str(n, "Id");
    return {{"ID", no_trunc ? id : id.substr(0, 12)},
            {"Name", str(n, "Name")},
            {"Driver", str(n, "Driver")},
            {"Scope", str(n, "Scope")},
            {"IPv6", flag(n, "EnableIPv6")},
            {"Internal", flag(n, "Internal")},
            {"Labels", labels_text(n)},
            {"CreatedAt", go_time_string(str(n, "Created"))}};
}

Result<std::string> render_network_ls(const json& networks, const NetworkLsView& view) {
    if (!networks.is_array()) return Error("unreadable network list from berthd: not an array");
    std::vector<json> rows;
    for (const auto& n : networks) rows.push_back(network_ls_fields(n, view.no_trunc));
    std::string out;
    if (view.format == "json") {
        for (const auto& r : rows) out += r.dump() + "\n";
        return out;
    }
    if (view.format.empty() || view.format == "table") {
        if (view.quiet) {
            for (const auto& r : rows) out += r["ID"].get<std::string>() + "\n";
            return out;
        }
        auto t = GoTemplate::parse(kDefaultTable);
        return t ? table(*t, rows) : Result<std::string>(t.error());
    }
    bool is_table = false;
    auto t = GoTemplate::parse(docker_format_text(view.format, &is_table));
    if (!t) return t.error();
    return is_table ? table(*t, rows) : each(*t, rows);
}

Result<std::string> render_network_inspect(const nlohmann::ordered_json& networks,
                                           const std::string& format) {
    if (format.empty() || format == "json") return networks.dump(4) + "\n";
    auto t = GoTemplate::parse(docker_format_text(format, nullptr));
    if (!t) return t.error();
    std::vector<json> rows;
    for (const auto& n : networks) rows.push_back(json::parse(n.dump()));
    return each(*t, rows);
}

Result<std::string> render_dns(const nlohmann::json& doc, const std::string& name) {
    const std::string network = doc.value("Name", "");
    const auto names = doc.value("Names", nlohmann::json::array());
    auto addresses = [](const nlohmann::json& entry) {
        std::string out;
        for (const auto& a : entry.value("Addresses", nlohmann::json::array())) {
            out += (out.empty() ? "" : " ") + a.get<std::string>();
        }
        return out;
    };
    if (!name.empty()) {
        std::string lower = name;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const auto& entry : names) {
            if (entry.value("Name", "") != lower) continue;
            std::string out = addresses(entry);
            std::replace(out.begin(), out.end(), ' ', '\n');
            return out + "\n";
        }
        return Error("no name \"" + name + "\" on network " + network +
                     ": its containers get NXDOMAIN, or an upstream's answer if no network has it");
    }
    std::size_t width = 4;
    for (const auto& entry : names) width = std::max(width, entry.value("Name", "").size());
    std::string out =
        "NETWORK  " + network + "\nRESOLVER " +
        (doc.value("Resolver", "").empty() ? "(none)" : doc.value("Resolver", "") + ":53") + "\n\n";
    auto row = [&](const std::string& a, const std::string& b) {
        out += a + std::string(width + 3 - a.size(), ' ') + b + "\n";
    };
    row("NAME", "ADDRESSES");
    for (const auto& entry : names) row(entry.value("Name", ""), addresses(entry));
    return out;
}

}  // namespace berth::cli
