#!/usr/bin/python3
"""A DNS client and a fake upstream server for the resolver's end-to-end tests.

  dnsprobe.py serve IP TAG [--silent]
      Listens on IP:53, UDP and TCP, prints "listening". Answers every A question with
      198.51.100.TAG, except big.example, which gets 40 A records (over 512 bytes), whatever the
      transport: the resolver must truncate it for a UDP client. --silent reads and never answers
      (a dead upstream that is still bound). Prints "q NAME" for each question. Runs until
      killed.
  dnsprobe.py ask SERVER NAME [--type A|AAAA|PTR] [--tcp] [--edns SIZE] [--count N]
      Asks SERVER:53 and prints one line per answer message:
      "rcode=N tc=0|1 answers=A1,A2,..." (PTR targets are printed as names). With --tcp and
      --count N, N queries go over one connection. Exits 1 when no answer came within 8 s.
  dnsprobe.py garbage SERVER ROUNDS
      Sends ROUNDS rounds of malformed datagrams (random bytes, a zero-length datagram, a header
      alone, a name cut short, a compression pointer to itself) and prints how many were sent.

busybox nslookup asks over UDP only and prints no flags; these tests need TCP, EDNS, the TC bit
and broken packets.
"""
import os
import random
import socket
import struct
import sys
import threading

TYPES = {"A": 1, "PTR": 12, "AAAA": 28}


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(name, qtype, qid, edns=None):
    header = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 1 if edns else 0)
    body = encode_name(name) + struct.pack(">HH", qtype, 1)
    if edns:
        body += b"\0" + struct.pack(">HHIH", 41, edns, 0, 0)
    return header + body


def read_name(msg, pos):
    labels, jumped, end, hops = [], False, pos, 0
    while True:
        n = msg[pos]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = pos + 2
            pos = ((n & 0x3F) << 8) | msg[pos + 1]
            jumped = True
            hops += 1
            if hops > 20:
                raise ValueError("pointer loop")
            continue
        if n == 0:
            return ".".join(labels), (end if jumped else pos + 1)
        labels.append(msg[pos + 1:pos + 1 + n].decode())
        pos += n + 1


def describe(msg):
    qid, flags, qd, an, _, _ = struct.unpack(">HHHHHH", msg[:12])
    pos = 12
    for _ in range(qd):
        _, pos = read_name(msg, pos)
        pos += 4
    answers = []
    for _ in range(an):
        _, pos = read_name(msg, pos)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[pos:pos + 10])
        pos += 10
        rdata = msg[pos:pos + rdlen]
        if rtype == 1:
            answers.append(socket.inet_ntop(socket.AF_INET, rdata))
        elif rtype == 28:
            answers.append(socket.inet_ntop(socket.AF_INET6, rdata))
        elif rtype == 12:
            answers.append(read_name(msg, pos)[0])
        pos += rdlen
    return "rcode=%d tc=%d answers=%s" % (flags & 0xF, (flags >> 9) & 1, ",".join(answers))


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def ask(args):
    server, name = args[0], args[1]
    qtype, tcp, edns, count = "A", False, None, 1
    i = 2
    while i < len(args):
        if args[i] == "--type":
            qtype, i = args[i + 1], i + 2
        elif args[i] == "--tcp":
            tcp, i = True, i + 1
        elif args[i] == "--edns":
            edns, i = int(args[i + 1]), i + 2
        elif args[i] == "--count":
            count, i = int(args[i + 1]), i + 2
        else:
            sys.exit("unknown option " + args[i])
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    if tcp:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(8)
        s.connect((server, 53))
        for k in range(count):
            q = query(name, TYPES[qtype], 0x4000 + k, edns)
            s.sendall(struct.pack(">H", len(q)) + q)
        for _ in range(count):
            (n,) = struct.unpack(">H", recv_exact(s, 2))
            print(describe(recv_exact(s, n)), flush=True)
        return
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(8)
    s.sendto(query(name, TYPES[qtype], random.randrange(65536), edns), (server, 53))
    msg, _ = s.recvfrom(65535)
    print(describe(msg), flush=True)


def garbage(args):
    server, rounds = args[0], int(args[1])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    header = struct.pack(">HHHHHH", 7, 0x0100, 1, 0, 0, 0)
    loop = header + b"\xc0\x0c" + struct.pack(">HH", 1, 1)
    sent = 0
    for _ in range(rounds):
        for packet in (os.urandom(random.randrange(1, 600)), b"", header, header + b"\x05ab",
                       loop, header + b"\x3f" + b"a" * 63 + b"\xc0\x0c"):
            s.sendto(packet, (server, 53))
            sent += 1
    print("sent", sent)


def answer(msg, tag):
    qid, _, _, _, _, _ = struct.unpack(">HHHHHH", msg[:12])
    name, pos = read_name(msg, 12)
    qtype = struct.unpack(">H", msg[pos:pos + 2])[0]
    question = msg[12:pos + 4]
    if qtype != 1:
        return struct.pack(">HHHHHH", qid, 0x8180, 1, 0, 0, 0) + question
    ips = ["198.51.100.%d" % k for k in range(1, 41)] if name == "big.example" else \
        ["198.51.100.%d" % tag]
    out = struct.pack(">HHHHHH", qid, 0x8180, 1, len(ips), 0, 0) + question
    for ip in ips:
        out += b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton(ip)
    return out


def serve(args):
    ip, tag, silent = args[0], int(args[1]), "--silent" in args
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((ip, 53))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((ip, 53))
    t.listen(16)

    def tcp_loop():
        while True:
            conn, _ = t.accept()
            try:
                (n,) = struct.unpack(">H", recv_exact(conn, 2))
                msg = recv_exact(conn, n)
                print("q", read_name(msg, 12)[0], flush=True)
                if not silent:
                    reply = answer(msg, tag)
                    conn.sendall(struct.pack(">H", len(reply)) + reply)
            except (ConnectionError, ValueError, IndexError, UnicodeDecodeError, struct.error):
                pass
            conn.close()

    threading.Thread(target=tcp_loop, daemon=True).start()
    print("listening", flush=True)
    while True:
        msg, peer = u.recvfrom(65535)
        try:
            print("q", read_name(msg, 12)[0], flush=True)
        except (ValueError, IndexError, UnicodeDecodeError):
            continue
        if silent:
            continue
        try:
            u.sendto(answer(msg, tag), peer)
        except (ValueError, struct.error, IndexError):
            pass


if __name__ == "__main__":
    {"serve": serve, "ask": ask, "garbage": garbage}[sys.argv[1]](sys.argv[2:])
