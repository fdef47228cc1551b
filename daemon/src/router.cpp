// Route matching and the small pieces of request decoding that need no socket.
#include <nlohmann/json.hpp>

#include "common/strings.hpp"
#include "daemon/http.hpp"

namespace berth::daemon {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Splits before decoding, so an encoded "%2F" stays inside its segment.
std::vector<std::string> raw_segments(const std::string& path) {
    return split_nonempty(path, "/");
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
           std::map<std::string, std::string>* params) {
    if (pattern.size() != segments.size()) return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const std::string& p = pattern[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
            if (segments[i].empty()) return false;
            found[p.substr(1, p.size() - 2)] = segments[i];
        } else if (p != segments[i]) {
            return false;
        }
    }
    if (params) *params = std::move(found);
    return true;
}

}  // namespace

std::string percent_decode(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        int hi = -1, lo = -1;
        if (s[i] == '%' && i + 2 < s.size()) {
            hi = hex_value(s[i + 1]);
            lo = hex_value(s[i + 2]);
        }
        if (hi >= 0 && lo >= 0) {
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::map<std::string, std::string> parse_query(const std::string& query) {
    std::map<std::string, std::string> out;
    for (const std::string& pair : split_nonempty(query, "&")) {
        auto eq = pair.find('=');
        std::string key = pair.substr(0, eq);
        std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
        // Forms encode spaces as '+'; a literal plus arrives as %2B.
        for (std::string* part : {&key, &value})
            for (char& c : *part)
                if (c == '+') c = ' ';
        out[percent_decode(key)] = percent_decode(value);
    }
    return out;
}

void ResponseWriter::error(int status, const std::string& message) {
    json(status, nlohmann::json{{"message", message}}.dump());
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
    routes_.push_back(Route{method, raw_segments(pattern), std::move(handler)});
}

void Router::dispatch(HttpRequest& request, ResponseWriter& writer) const {
    auto question = request.target.find('?');
    std::string raw_path = request.target.substr(0, question);
    if (request.path.empty()) {
        request.path = percent_decode(raw_path);
        if (question != std::string::npos)
            request.query = parse_query(request.target.substr(question + 1));
    }
    auto segments = raw_segments(raw_path);
    for (std::string& s : segments) s = percent_decode(s);
    bool path_known = false;
    for (const Route& route : routes_) {
        if (!match(route.segments, segments, nullptr)) continue;
        path_known = true;
        if (route.method != request.method) continue;
        match(route.segments, segments, &request.params);
        route.handler(request, writer);
        return;
    }
    if (path_known)
        writer.error(405, request.method + " is not allowed on " + request.path);
    else
        writer.error(404, "no route for " + request.method + " " + request.path);
}

}  // namespace berth::daemon
