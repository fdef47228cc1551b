#include "http_parse.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace berth::cli {
namespace {

constexpr std::size_t kMaxHead = 64 * 1024;
constexpr std::size_t kMaxChunkLine = 4096;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

Result<ResponseHead> parse_status_line(std::string_view line) {
    // HTTP/1.x SP 3DIGIT SP reason
    if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ') {
        return Error("malformed status line: " + std::string(line.substr(0, 80)));
    }
    ResponseHead head;
    auto digits = line.substr(9, 3);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + 3, head.status);
    if (ec != std::errc() || end != digits.data() + 3 || head.status < 100) {
        return Error("malformed status code: " + std::string(digits));
    }
    if (line.size() > 12) {
        if (line[12] != ' ') return Error("malformed status line: " + std::string(line));
        head.reason = std::string(trim(line.substr(13)));
    }
    return head;
}

}  // namespace

std::optional<std::string> ResponseHead::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (iequals(k, name)) return v;
    }
    return std::nullopt;
}

bool ResponseHead::chunked() const {
    auto te = header("Transfer-Encoding");
    if (!te) return false;
    std::string lower = *te;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("chunked") != std::string::npos;
}

Result<std::optional<std::size_t>> ResponseHead::content_length() const {
    auto v = header("Content-Length");
    if (!v) return std::optional<std::size_t>();
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || v->empty()) {
        return Error("malformed Content-Length: " + *v);
    }
    return std::optional<std::size_t>(n);
}

Result<std::optional<ResponseHead>> parse_response_head(std::string_view buf,
                                                        std::size_t& consumed) {
    auto end = buf.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (buf.size() > kMaxHead) return Error("response head larger than 64 KiB");
        return std::optional<ResponseHead>();
    }
    if (end > kMaxHead) return Error("response head larger than 64 KiB");
    std::string_view rest = buf.substr(0, end);
    auto eol = rest.find("\r\n");
    auto head = parse_status_line(rest.substr(0, eol));
    if (!head) return head.error();
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 2);
    while (!rest.empty()) {
        eol = rest.find("\r\n");
        std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 2);
        auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            return Error("malformed header line: " + std::string(line.substr(0, 80)));
        }
        head->headers.emplace_back(std::string(line.substr(0, colon)),
                                   std::string(trim(line.substr(colon + 1))));
    }
    consumed = end + 4;
    return std::optional<ResponseHead>(std::move(*head));
}

Result<void> ChunkedDecoder::feed(std::string_view in, std::string& out) {
    pending_.append(in);
    std::size_t pos = 0;
    while (!done_) {
        if (remaining_ > 0) {
            std::size_t take = std::min(remaining_, pending_.size() - pos);
            out.append(pending_, pos, take);
            pos += take;
            remaining_ -= take;
            if (remaining_ > 0) break;
            need_crlf_ = true;
        }
        if (need_crlf_) {
            if (pending_.size() - pos < 2) break;
            if (pending_.compare(pos, 2, "\r\n") != 0) return Error("chunk not followed by CRLF");
            pos += 2;
            need_crlf_ = false;
            continue;
        }
        auto eol = pending_.find("\r\n", pos);
        if (eol == std::string::npos) {
            if (pending_.size() - pos > kMaxChunkLine) return Error("chunk size line too long");
            break;
        }
        std::string_view line(pending_.data() + pos, eol - pos);
        pos = eol + 2;
        if (in_trailer_) {
            done_ = line.empty();
            continue;
        }
        // Extensions after ';' carry nothing berthd sends.
        line = trim(line.substr(0, line.find(';')));
        std::size_t size = 0;
        auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
        if (line.empty() || ec != std::errc() || end != line.data() + line.size()) {
            return Error("malformed chunk size: " + std::string(line.substr(0, 40)));
        }
        if (size == 0) {
            in_trailer_ = true;
        } else {
            remaining_ = size;
        }
    }
    pending_.erase(0, pos);
    return {};
}

void LineSplitter::feed(std::string_view data, const LineFn& on_line) {
    partial_.append(data);
    std::size_t start = 0;
    for (auto nl = partial_.find('\n'); nl != std::string::npos; nl = partial_.find('\n', start)) {
        std::string_view line(partial_.data() + start, nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        start = nl + 1;
        if (!line.empty()) on_line(line);
    }
    partial_.erase(0, start);
}

void LineSplitter::finish(const LineFn& on_line) {
    std::string last = std::move(partial_);
    partial_.clear();
    if (!last.empty() && last.back() == '\r') last.pop_back();
    if (!last.empty()) on_line(last);
}

}  // namespace berth::cli
