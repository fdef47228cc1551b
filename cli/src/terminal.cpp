#include "terminal.hpp"

#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <initializer_list>

namespace berth::cli {
namespace {

// One saved state per process: only one terminal is ever made raw. Plain globals, because the
// signal handler reads them.
termios g_saved;
volatile std::sig_atomic_t g_fd = -1;

void restore_saved() {
    if (g_fd >= 0) {
        ::tcsetattr(g_fd, TCSADRAIN, &g_saved);
        g_fd = -1;
    }
}

void on_fatal_signal(int sig) {
    restore_saved();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

}  // namespace

bool RawTerminal::enter(int fd) {
    if (g_fd >= 0 || ::isatty(fd) == 0) return false;
    termios t;
    if (::tcgetattr(fd, &t) != 0) return false;
    g_saved = t;
    ::cfmakeraw(&t);
    // Keep output processing: the process writes "\n" through its own pty handling.
    t.c_oflag |= OPOST;
    g_fd = fd;
    for (int sig : {SIGTERM, SIGHUP, SIGQUIT}) std::signal(sig, on_fatal_signal);
    if (::tcsetattr(fd, TCSADRAIN, &t) != 0) {
        g_fd = -1;
        return false;
    }
    return true;
}

void RawTerminal::restore() {
    restore_saved();
}

}  // namespace berth::cli
