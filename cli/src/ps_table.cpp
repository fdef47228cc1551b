#include "ps_table.hpp"

#include <algorithm>
#include <set>

namespace berth::cli {
namespace {

std::string str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return "";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_null()) return "";
    return it->dump();
}

// Display width: count UTF-8 lead bytes, so the ellipsis counts once.
std::size_t width(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string unquote(const std::string& s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
        auto j = nlohmann::json::parse(s, nullptr, false);
        if (j.is_string()) return j.get<std::string>();
    }
    return s;
}

// Cuts to `max` characters, the last one an ellipsis (docker's Ellipsis()).
std::string ellipsis(const std::string& s, std::size_t max) {
    if (width(s) <= max) return s;
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool lead = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
        if (lead && ++chars == max) break;
        out += s[i];
    }
    return out + "\u2026";
}

}  // namespace

std::string render_columns(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& r : rows) {
        if (r.size() > widths.size()) widths.resize(r.size(), 0);
        for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], width(r[i]));
    }
    std::string out;
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i];
            if (i + 1 < r.size()) {
                std::size_t w = std::max<std::size_t>(10, widths[i] + 3);
                line.append(w - width(r[i]), ' ');
            }
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

std::string format_ports(const nlohmann::json& publishers) {
    if (!publishers.is_array()) return "";
    std::string out;
    for (const auto& p : publishers) {
        std::string proto = p.value("Protocol", "tcp");
        std::string target = std::to_string(p.value("TargetPort", 0)) + "/" + proto;
        int published = p.value("PublishedPort", 0);
        std::string item = target;
        if (published > 0) {
            std::string url = p.value("URL", "");
            if (url.find(':') != std::string::npos) url = "[" + url + "]";
            item = url + ":" + std::to_string(published) + "->" + target;
        }
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

std::string format_command(const std::string& quoted) {
    return nlohmann::json(ellipsis(unquote(quoted), 20)).dump(-1, ' ', false);
}

std::vector<const nlohmann::json*> filter_by_status(const nlohmann::json& containers,
                                                    const std::vector<std::string>& status) {
    std::vector<const nlohmann::json*> out;
    if (!containers.is_array()) return out;
    out.reserve(containers.size());
    for (const auto& c : containers) {
        if (status.empty() ||
            std::find(status.begin(), status.end(), str(c, "State")) != status.end()) {
            out.push_back(&c);
        }
    }
    return out;
}

std::string render_ps(const nlohmann::json& all, const PsView& view) {
    const auto containers = filter_by_status(all, view.status);
    std::string out;
    if (view.services) {
        std::set<std::string> seen;
        for (const nlohmann::json* c : containers) {
            if (seen.insert(str(*c, "Service")).second) out += str(*c, "Service") + "\n";
        }
        return out;
    }
    if (view.quiet) {
        for (const nlohmann::json* c : containers) out += str(*c, "ID") + "\n";
        return out;
    }
    if (view.format == "json") {
        for (const nlohmann::json* c : containers) out += c->dump() + "\n";
        return out;
    }
    std::vector<std::vector<std::string>> rows = {
        {"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"}};
    for (const nlohmann::json* c : containers) {
        rows.push_back({str(*c, "Name"), str(*c, "Image"), format_command(str(*c, "Command")),
                        str(*c, "Service"), str(*c, "RunningFor"), str(*c, "Status"),
                        format_ports(c->value("Publishers", nlohmann::json()))});
    }
    return render_columns(rows);
}

}  // namespace berth::cli
