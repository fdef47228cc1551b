// The container log: JSON lines {"time","stream","log"} as Docker's json-file driver writes them,
// with size-based rotation ctr.log -> ctr.log.1 -> ... Written only by berth-monitor.
#pragma once

#include <time.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::engine {

enum class LogStream { Stdout, Stderr };

// 2026-11-29T02:45:00.123456789Z (UTC, always nine fraction digits, so lines sort as text).
std::string rfc3339_nano(const timespec& ts);

// Appends one record and its newline. `line` keeps its trailing "\n" (a partial line has none).
void append_log_record(std::string& out, const timespec& ts, LogStream stream,
                       std::string_view line);

struct LogRecord {
    std::string time;
    std::string stream;
    std::string log;
};
Result<LogRecord> parse_log_record(std::string_view json_line);

// "ctr.log" for 0, "ctr.log.3" for 3.
std::string rotated_log_name(const std::string& base, int index);

// One rotation keeping at most max_file files in total: the (from, to) renames in the order they
// must run, oldest first, so that nothing is overwritten before it has moved. The file that falls
// off the end is overwritten by the first rename. max_file <= 1 gives no renames (the log is
// truncated instead).
std::vector<std::pair<std::string, std::string>> rotation_renames(const std::string& base,
                                                                  int max_file);

// Cuts a byte stream into lines; a line longer than max_line is cut into partial records (as
// Docker does at 16 KiB), so one endless line cannot grow the monitor's memory.
class LineSplitter {
  public:
    explicit LineSplitter(std::size_t max_line = 16 * 1024) : max_line_(max_line) {}
    // Calls emit(std::string_view line) for every complete (or cut) line in data.
    template <typename Emit>
    void feed(std::string_view data, Emit&& emit);
    // What is left at end of stream, without a newline.
    template <typename Emit>
    void finish(Emit&& emit) {
        if (!pending_.empty()) emit(std::string_view(pending_));
        pending_.clear();
    }

  private:
    std::size_t max_line_;
    std::string pending_;
};

template <typename Emit>
void LineSplitter::feed(std::string_view data, Emit&& emit) {
    while (!data.empty()) {
        auto nl = data.find('\n');
        std::string_view piece =
            data.substr(0, nl == std::string_view::npos ? data.size() : nl + 1);
        data.remove_prefix(piece.size());
        const bool complete = piece.back() == '\n';
        if (pending_.empty() && complete) {
            emit(piece);  // the common case: no copy
            continue;
        }
        pending_.append(piece);
        if (complete) {
            emit(std::string_view(pending_));
            pending_.clear();
        } else {
            while (pending_.size() >= max_line_) {
                emit(std::string_view(pending_).substr(0, max_line_));
                pending_.erase(0, max_line_);
            }
        }
    }
}

// Appends records to the log file and rotates it. Write errors (a full disk) drop records rather
// than stall the container; the count is kept for the exit record.
class LogWriter {
  public:
    LogWriter(std::string path, std::uint64_t max_size, int max_file)
        : path_(std::move(path)), max_size_(max_size), max_file_(max_file < 1 ? 1 : max_file) {}
    ~LogWriter();
    LogWriter(const LogWriter&) = delete;
    LogWriter& operator=(const LogWriter&) = delete;

    Result<void> open();
    void write(LogStream stream, std::string_view line);  // one line, buffered
    void flush();
    std::uint64_t dropped() const { return dropped_; }

  private:
    void rotate();
    void write_out(std::string_view data);

    std::string path_;
    std::uint64_t max_size_;
    int max_file_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
    std::string buffer_;
    std::uint64_t dropped_ = 0;
};

}  // namespace berth::engine
