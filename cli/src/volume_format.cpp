#include "volume_format.hpp"

#include "go_template.hpp"

namespace berth::cli {

namespace {

using json = nlohmann::json;

Result<std::string> each(const std::string& format, const json& volumes) {
    auto t = GoTemplate::parse(docker_format_text(format, nullptr));
    if (!t) return t.error();
    std::string out;
    for (const auto& v : volumes) {
        auto line = t->execute(v);
        if (!line) return line.error();
        out += *line + "\n";
    }
    return out;
}

}  // namespace

Result<std::string> render_volume_ls(const json& volumes, bool quiet, const std::string& format) {
    std::string out;
    if (quiet) {
        for (const auto& v : volumes) out += v.value("Name", "") + "\n";
        return out;
    }
    if (format == "json") {
        for (const auto& v : volumes) out += v.dump() + "\n";
        return out;
    }
    if (!format.empty() && format != "table") return each(format, volumes);
    std::size_t width = 6;
    for (const auto& v : volumes) width = std::max(width, v.value("Driver", "").size());
    auto row = [&](const std::string& driver, const std::string& name) {
        out += driver + std::string(width + 4 - driver.size(), ' ') + name + "\n";
    };
    row("DRIVER", "VOLUME NAME");
    for (const auto& v : volumes) row(v.value("Driver", ""), v.value("Name", ""));
    return out;
}

Result<std::string> render_volume_inspect(const json& volumes, const std::string& format) {
    if (format.empty() || format == "json") return volumes.dump(4) + "\n";
    return each(format, volumes);
}

}  // namespace berth::cli
