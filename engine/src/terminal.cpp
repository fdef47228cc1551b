// tty: a pseudo-terminal allocated in the container's own devpts instance, as runc and crun do.
// The master goes to the parent over the sync socket (SCM_RIGHTS); the slave becomes stdio and
// /dev/console.
//
// CVE-2025-52565: the slave is obtained with TIOCGPTPEER from the master fd rather than opened
// by a /dev/pts/N path, and /dev/console is bind-mounted from that fd, so no lookup inside the
// container can be redirected.
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "mount_fd.hpp"
#include "process_setup.hpp"
#include "safe_path.hpp"
#include "sync.hpp"

namespace berth::engine::detail {
namespace {

bool send_master(int sync_fd, int master) {
    char tag = 'T';
    iovec iov{&tag, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &master, sizeof(int));
    return sendmsg(sync_fd, &msg, MSG_NOSIGNAL) == 1;
}

bool bind_console(int root_fd, int slave) {
    int target = create_file_in_root(root_fd, "/dev/console", 0600);
    if (target < 0) return fail(Step::Mkdir, "/dev/console");
    int tree = open_tree(slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
    bool ok = tree >= 0 && attach_tree_on(tree, target, 0, false);
    int saved = errno;
    if (tree >= 0) close(tree);
    close(target);
    return ok || fail(Step::Mount, "/dev/console", saved);
}

bool use_as_stdio(int slave) {
    for (int fd = 0; fd < 3; ++fd) {
        if (dup2(slave, fd) < 0) return fail(Step::Terminal, "stdio");
    }
    if (slave > 2) close(slave);
    return true;
}

}  // namespace

bool setup_terminal(const ChildPlan& p, int root_fd) {
    if (!p.tty) return true;
    int master = open_file_in_root(root_fd, "/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return fail(Step::Terminal, "/dev/pts/ptmx");
    int unlock = 0;
    int slave = -1;
    if (ioctl(master, TIOCSPTLCK, &unlock) == 0) {
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    }
    if (slave < 0 || !send_master(p.sync_fd, master)) {
        int saved = errno;
        close(master);
        return fail(Step::Terminal, "/dev/pts/ptmx", saved);
    }
    close(master);
    if (p.join_mnt_fd < 0 && !bind_console(root_fd, slave)) return false;
    return use_as_stdio(slave);
}

}  // namespace berth::engine::detail
