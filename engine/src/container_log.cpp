// Log record encoding, rotation naming and the file writer of berth-monitor.
#include "engine/container_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "engine/flat_json.hpp"

namespace berth::engine {

std::string rfc3339_nano(const timespec& ts) {
    tm t{};
    gmtime_r(&ts.tv_sec, &t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", t.tm_year + 1900,
                  t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, ts.tv_nsec);
    return buf;
}

void append_log_record(std::string& out, const timespec& ts, LogStream stream,
                       std::string_view line) {
    out += "{\"time\":\"";
    out += rfc3339_nano(ts);
    out += stream == LogStream::Stdout ? "\",\"stream\":\"stdout\",\"log\":\""
                                       : "\",\"stream\":\"stderr\",\"log\":\"";
    json_escape_to(out, line);
    out += "\"}\n";
}

Result<LogRecord> parse_log_record(std::string_view json_line) {
    auto obj = FlatJson::parse(json_line);
    if (!obj) return obj.error();
    if (!obj->has("time") || !obj->has("stream") || !obj->has("log"))
        return Error("log record without time, stream or log");
    return LogRecord{obj->str("time"), obj->str("stream"), obj->str("log")};
}

std::string rotated_log_name(const std::string& base, int index) {
    return index == 0 ? base : base + "." + std::to_string(index);
}

std::vector<std::pair<std::string, std::string>> rotation_renames(const std::string& base,
                                                                  int max_file) {
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = max_file - 2; i >= 0; --i) {
        out.emplace_back(rotated_log_name(base, i), rotated_log_name(base, i + 1));
    }
    return out;
}

LogWriter::~LogWriter() {
    flush();
    if (fd_ >= 0) close(fd_);
}

Result<void> LogWriter::open() {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd_ < 0) return errno_error("open " + path_, errno);
    struct stat st {};
    if (fstat(fd_, &st) == 0) size_ = static_cast<std::uint64_t>(st.st_size);
    return {};
}

void LogWriter::write(LogStream stream, std::string_view line) {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    const std::size_t before = buffer_.size();
    append_log_record(buffer_, ts, stream, line);
    if (max_size_ > 0 && size_ + before > 0 && size_ + buffer_.size() > max_size_) {
        // The record goes to the next file: write what precedes it, then rotate.
        std::string rec = buffer_.substr(before);
        buffer_.resize(before);
        flush();
        rotate();
        buffer_ = std::move(rec);
    }
    if (buffer_.size() >= 64 * 1024) flush();
}

void LogWriter::flush() {
    if (buffer_.empty() || fd_ < 0) return;
    write_out(buffer_);
    buffer_.clear();
}

void LogWriter::write_out(std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ++dropped_;
            return;
        }
        size_ += static_cast<std::uint64_t>(n);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void LogWriter::rotate() {
    if (max_file_ <= 1) {
        if (ftruncate(fd_, 0) == 0) size_ = 0;
        return;
    }
    for (const auto& [from, to] : rotation_renames(path_, max_file_)) {
        ::rename(from.c_str(), to.c_str());  // a missing older file is fine
    }
    close(fd_);
    fd_ = -1;
    size_ = 0;
    if (!open()) ++dropped_;
}

}  // namespace berth::engine
