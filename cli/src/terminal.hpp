// The client's terminal in raw mode while a container's process owns it (exec -it, run with a
// tty): keys go to the process unchanged, and the terminal is restored on every way out,
// including SIGTERM and SIGHUP.
#pragma once

namespace berth::cli {

class RawTerminal {
  public:
    RawTerminal() = default;
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;
    ~RawTerminal() { restore(); }

    // Raw mode on `fd` when it is a terminal; false (nothing changed) otherwise.
    bool enter(int fd);
    void restore();
};

}  // namespace berth::cli
