// The NDJSON progress stream of a project operation (docs/api.md): written from the executor's
// threads at once, so every line is written under one lock. A client that goes away does not
// stop the operation: the daemon finishes converging and the lines go nowhere.
#pragma once

#include <mutex>
#include <string>

#include "daemon/http.hpp"

namespace berth::daemon {

class Progress {
  public:
    explicit Progress(ResponseWriter& writer) : w_(writer) {}
    void start();
    void event(const std::string& resource, const std::string& status,
               const std::string& text = "");
    void warning(const std::string& text);
    // The last line; ok=false carries the message and the exit code the CLI returns.
    void result(bool ok, int exit_code, const std::string& message = "");
    // Any other object (a one-off container's name for `run -d`).
    void raw(const std::string& json_line);

  private:
    ResponseWriter& w_;
    std::mutex mu_;
    bool open_ = true;
    void write(const std::string& line);
};

}  // namespace berth::daemon
