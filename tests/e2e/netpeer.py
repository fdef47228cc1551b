#!/usr/bin/python3
"""A TCP/UDP listener that reports who connected, and its client, for the network e2e tests.

  netpeer.py serve tcp|udp PORT NAME   binds 0.0.0.0:PORT, prints "listening", then for each
                                       connection (tcp) or datagram (udp) prints "peer ADDR" and
                                       answers "NAME"; runs until killed.
  netpeer.py send tcp|udp HOST PORT SECONDS [SOURCE_PORT]
                                       sends "ping", prints the answer; exits 1 when none came
                                       within SECONDS. A fixed SOURCE_PORT keeps a udp flow the
                                       same flow for conntrack from one call to the next.

The busybox applets at hand have no UDP and no way to print a TCP peer's address, and the
masquerade test needs exactly that: what the other side sees as the source.
"""
import socket
import sys


def serve(proto, port, name):
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("0.0.0.0", port))
    if proto == "tcp":
        s.listen(16)
    print("listening", flush=True)
    answer = (name + "\n").encode()
    while True:
        if proto == "tcp":
            conn, peer = s.accept()
            print("peer", peer[0], flush=True)
            try:
                conn.sendall(answer)
            finally:
                conn.close()
        else:
            _, peer = s.recvfrom(2048)
            print("peer", peer[0], flush=True)
            s.sendto(answer, peer)


def send(proto, host, port, seconds, source_port=0):
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    s.settimeout(seconds)
    if source_port:
        s.bind(("0.0.0.0", source_port))
    try:
        s.connect((host, port))
        s.sendall(b"ping\n")
        data = s.recv(2048)
    except OSError as e:
        print("error:", e, file=sys.stderr)
        return 1
    if not data:
        print("error: closed without an answer", file=sys.stderr)
        return 1
    sys.stdout.write(data.decode(errors="replace"))
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "serve" and argv[2] in ("tcp", "udp"):
        serve(argv[2], int(argv[3]), argv[4])
        return 0
    if len(argv) in (6, 7) and argv[1] == "send" and argv[2] in ("tcp", "udp"):
        source_port = int(argv[6]) if len(argv) == 7 else 0
        return send(argv[2], argv[3], int(argv[4]), float(argv[5]), source_port)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
