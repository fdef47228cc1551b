#include "image_remote.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "common/fs.hpp"
#include "image_table.hpp"
#include "verb_support.hpp"

namespace berth::cli {
namespace {

int report(const std::string& message) {
    std::cerr << "Error: " << message << "\n";
    return 1;
}

// A file, or stdin for "-": the archive goes to the daemon as the request body.
Result<std::string> read_input(const std::string& path) {
    if (path != "-") return read_file(path);
    std::string data{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    if (std::cin.bad()) return Error("read stdin: " + std::string(std::strerror(errno)));
    return data;
}

Result<void> write_output(const std::string& path, const std::string& data) {
    if (path == "-") {
        std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
        std::cout.flush();
        if (!std::cout) return Error("write stdout: " + std::string(std::strerror(errno)));
        return {};
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) return Error("write " + path + ": " + std::strerror(errno));
    return {};
}

// The reply's "lines", printed one a line; 1 with the daemon's message otherwise.
int print_reply_lines(const ApiClient& c, const Request& req, bool quiet = false) {
    auto reply = get_json(c, req);
    if (!reply) return report(reply.error().message());
    if (quiet) return 0;
    for (const auto& l : reply->value("lines", nlohmann::json::array())) {
        if (l.is_string()) std::cout << l.get<std::string>() << "\n";
    }
    return 0;
}

Request archive_request(std::string target, std::string body) {
    Request r = post_request(std::move(target), std::move(body));
    r.content_type = "application/x-tar";
    return r;
}

}  // namespace

std::string image_path(const std::string& name, const std::string& tail) {
    return "/v1/images/" + url_encode(name) + (tail.empty() ? "" : "/" + tail);
}

int remote_images(const ApiClient& c, bool quiet) {
    auto list = get_json(c, get_request("/v1/images"));
    if (!list) return report(list.error().message());
    auto rows = json_image_rows(*list);
    if (!rows) return report(rows.error().message());
    std::cout << render_images(*rows, quiet, std::time(nullptr));
    return 0;
}

int remote_import(const ApiClient& c, const ImageArgs& a) {
    auto data = read_input(a.source);
    if (!data) return report(data.error().message());
    std::string target = "/v1/images/import?name=" + url_encode(a.name) +
                         "&changes=" + url_encode(nlohmann::json(a.changes).dump());
    return print_reply_lines(c, archive_request(target, std::move(*data)));
}

int remote_load(const ApiClient& c, const ImageArgs& a) {
    auto data = read_input(a.input);
    if (!data) return report(data.error().message());
    return print_reply_lines(c, archive_request("/v1/images/load", std::move(*data)), a.quiet);
}

int remote_save(const ApiClient& c, const ImageArgs& a) {
    auto r = c.call(get_request("/v1/images/get?names=" + url_encode(join(a.names, ","))));
    if (!r) return report(r.error().message());
    if (!r->ok()) return report(r->error_message());
    auto ok = write_output(a.output, r->body);
    return ok ? 0 : report(ok.error().message());
}

int remote_inspect(const ApiClient& c, const ImageArgs& a) {
    int rc = 0;
    for (const auto& n : a.names) {
        auto r = c.call(get_request(image_path(n, "json")));
        if (!r) return report(r.error().message());
        if (!r->ok()) {
            rc = report(r->error_message());
            continue;
        }
        std::cout << r->body << "\n";
    }
    return rc;
}

int remote_rm(const ApiClient& c, const ImageArgs& a) {
    int rc = 0;
    for (const auto& n : a.names) {
        Request req = get_request(image_path(n) + (a.force ? "?force=1" : ""));
        req.method = "DELETE";
        if (print_reply_lines(c, req) != 0) rc = 1;
    }
    return rc;
}

int remote_tag(const ApiClient& c, const ImageArgs& a) {
    return print_reply_lines(
        c, post_request(image_path(a.source, "tag") + "?repo=" + url_encode(a.target), ""));
}

int remote_prune(const ApiClient& c) {
    return print_reply_lines(c, post_request("/v1/images/prune", ""));
}

}  // namespace berth::cli
