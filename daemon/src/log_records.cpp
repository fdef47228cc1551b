// Log record parsing, selection and merging.
#include "log_records.hpp"

#include <time.h>

#include <algorithm>
#include <cctype>

#include "engine/container_log.hpp"

namespace berth::daemon {
namespace {

bool read_digits(std::string_view& s, std::size_t n, int& value) {
    if (s.size() < n) return false;
    value = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        value = value * 10 + (s[i] - '0');
    }
    s.remove_prefix(n);
    return true;
}

bool expect(std::string_view& s, char c) {
    if (s.empty() || s.front() != c) return false;
    s.remove_prefix(1);
    return true;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_nano(std::string_view s) {
    tm t{};
    int year = 0, mon = 0;
    if (!read_digits(s, 4, year) || !expect(s, '-') || !read_digits(s, 2, mon) || !expect(s, '-') ||
        !read_digits(s, 2, t.tm_mday) || !(expect(s, 'T') || expect(s, 't')) ||
        !read_digits(s, 2, t.tm_hour) || !expect(s, ':') || !read_digits(s, 2, t.tm_min) ||
        !expect(s, ':') || !read_digits(s, 2, t.tm_sec)) {
        return std::nullopt;
    }
    t.tm_year = year - 1900;
    t.tm_mon = mon - 1;
    std::int64_t nanos = 0;
    if (expect(s, '.')) {
        int digits = 0;
        while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) {
            if (digits < 9) {
                nanos = nanos * 10 + (s.front() - '0');
                ++digits;
            }
            s.remove_prefix(1);
        }
        if (digits == 0) return std::nullopt;
        for (; digits < 9; ++digits) nanos *= 10;
    }
    std::int64_t offset = 0;
    if (!(expect(s, 'Z') || expect(s, 'z'))) {
        const bool minus = !s.empty() && s.front() == '-';
        int oh = 0, om = 0;
        if (!(expect(s, '+') || expect(s, '-')) || !read_digits(s, 2, oh) || !expect(s, ':') ||
            !read_digits(s, 2, om)) {
            return std::nullopt;
        }
        offset = (minus ? -1 : 1) * (oh * 3600 + om * 60);
    }
    if (!s.empty()) return std::nullopt;
    const time_t secs = timegm(&t);
    return (static_cast<std::int64_t>(secs) - offset) * 1000000000LL + nanos;
}

std::optional<LogEntry> parse_entry(const std::string& container_id, std::string_view json_line) {
    auto rec = engine::parse_log_record(json_line);
    if (!rec) return std::nullopt;
    auto nanos = parse_rfc3339_nano(rec->time);
    if (!nanos) return std::nullopt;
    LogEntry e;
    e.line.container_id = container_id;
    e.line.stream = rec->stream;
    e.line.time_nano = *nanos;
    e.newline = !rec->log.empty() && rec->log.back() == '\n';
    if (e.newline) rec->log.pop_back();
    e.line.line = std::move(rec->log);
    return e;
}

void take_entries(const std::string& container_id, std::string& text, std::vector<LogEntry>& out) {
    std::size_t pos = 0;
    for (;;) {
        auto nl = text.find('\n', pos);
        if (nl == std::string::npos) break;
        auto e = parse_entry(container_id, std::string_view(text).substr(pos, nl - pos));
        if (e) out.push_back(std::move(*e));
        pos = nl + 1;
    }
    text.erase(0, pos);
}

void select_entries(std::vector<LogEntry>& entries, const LogQuery& q) {
    std::erase_if(entries, [&](const LogEntry& e) {
        return (q.since_nano != 0 && e.line.time_nano < q.since_nano) ||
               (q.until_nano != 0 && e.line.time_nano > q.until_nano);
    });
    if (q.tail && entries.size() > *q.tail) {
        entries.erase(entries.begin(),
                      entries.begin() + static_cast<long>(entries.size() - *q.tail));
    }
}

std::vector<LogEntry> merge_by_time(std::vector<std::vector<LogEntry>> per_container) {
    std::vector<LogEntry> all;
    for (auto& list : per_container) {
        for (auto& e : list) all.push_back(std::move(e));
    }
    // Stable: lines of one container with equal times keep their order in the file.
    std::stable_sort(all.begin(), all.end(), [](const LogEntry& a, const LogEntry& b) {
        return a.line.time_nano < b.line.time_nano;
    });
    return all;
}

}  // namespace berth::daemon
