#include "engine/terminal_relay.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace berth::engine {
namespace {

// One read and a complete write; false once `from` has ended or `to` fails.
bool copy(int from, int to) {
    char buf[8192];
    ssize_t n = read(from, buf, sizeof buf);
    if (n <= 0) return n < 0 && errno == EINTR;
    for (ssize_t off = 0; off < n;) {
        ssize_t w = write(to, buf + off, static_cast<std::size_t>(n - off));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return false;
        off += w;
    }
    return true;
}

void copy_window_size(int master) {
    winsize ws{};
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) ioctl(master, TIOCSWINSZ, &ws);
}

}  // namespace

void relay_terminal(int master, volatile std::sig_atomic_t* resized) {
    termios saved{};
    const bool raw = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (raw) {
        termios t = saved;
        cfmakeraw(&t);
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
        copy_window_size(master);
    }
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {master, POLLIN, 0}};
    for (;;) {
        if (resized != nullptr && *resized) {
            *resized = 0;
            copy_window_size(master);
        }
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && !copy(master, STDOUT_FILENO)) break;
        // Our stdin ended: keep showing the container's output.
        if ((fds[0].revents & (POLLIN | POLLHUP)) && !copy(STDIN_FILENO, master)) fds[0].fd = -1;
    }
    if (raw) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

}  // namespace berth::engine
