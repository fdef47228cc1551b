"""Raw-socket clients for daemon_http.sh: what curl cannot do (trickle bytes, send garbage)."""
import socket
import sys
import threading
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    return s


def read_reply(s):
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def exchange(path, raw):
    s = connect(path)
    try:
        s.sendall(raw)
    except (BrokenPipeError, ConnectionResetError):
        pass
    return read_reply(s)


def status_of(reply):
    parts = reply.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[0].startswith(b"HTTP/1.") else None


def ping(path):
    s = connect(path)
    s.sendall(b"GET /v1/_ping HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n")
    reply = read_reply(s)
    return status_of(reply) == 200 and reply.endswith(b"\r\n\r\nOK")


def expect_status(path, raw, want, what):
    got = status_of(exchange(path, raw))
    if got != want:
        sys.exit(f"{what}: got status {got}, want {want}")
    if not ping(path):
        sys.exit(f"{what}: the daemon stopped serving afterwards")
    print(f"ok: {what} -> {want}, and the daemon still serves")


def slowloris(path, timeout):
    """Trickles a header byte a second; the daemon must cut it off at its deadline while it
    keeps answering another client."""
    s = connect(path)
    request = b"GET /v1/_ping HTTP/1.1\r\nHost: berth\r\nX-Slow: " + b"a" * 1000
    start = time.monotonic()
    result = {}

    def trickle():
        for byte in request:
            try:
                s.send(bytes([byte]))
            except OSError:
                return
            time.sleep(1)

    threading.Thread(target=trickle, daemon=True).start()
    served = 0
    reply = b""
    s.settimeout(0.2)
    while time.monotonic() - start < timeout + 10:
        if ping(path):
            served += 1
        try:
            chunk = s.recv(65536)
            reply += chunk
            if not chunk:
                break
        except socket.timeout:
            continue
        except ConnectionResetError:
            break
    elapsed = time.monotonic() - start
    if elapsed > timeout + 3:
        sys.exit(f"slowloris: still connected after {elapsed:.1f}s (timeout {timeout}s)")
    if elapsed < timeout - 0.5:
        sys.exit(f"slowloris: cut off after {elapsed:.1f}s, before the {timeout}s timeout")
    if status_of(reply) != 408:
        sys.exit(f"slowloris: got {reply[:40]!r}, want a 408")
    if served < 2:
        sys.exit(f"slowloris: only {served} pings were served meanwhile")
    print(f"ok: slowloris cut off with 408 after {elapsed:.1f}s; {served} pings served meanwhile")


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "limits":
        big_header = b"GET /v1/_ping HTTP/1.1\r\nHost: b\r\nX-Big: " + b"x" * (20 * 1024) + b"\r\n\r\n"
        expect_status(path, big_header, 413, "a 20 KiB header")
        big_body = (b"POST /v1/_ping HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 70000000\r\n\r\n" + b"{" * 65536)
        expect_status(path, big_body, 413, "a 70 MB body")
        expect_status(path, b"\x01\x02garbage\r\n\r\n", 400, "a malformed request line")
        expect_status(path, b"GET /v1/_ping HTTP/1.1\r\nHost: b\r\nContent-Length: zz\r\n\r\n", 400,
                      "a malformed Content-Length")
        expect_status(path, b"GET /v1/nothing HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n", 404,
                      "an unknown route")
    elif cmd == "keepalive":
        s = connect(path)
        s.sendall(b"GET /v1/_ping HTTP/1.1\r\nHost: b\r\n\r\n" * 2 +
                  b"GET /v1/version HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n")
        reply = read_reply(s)
        if reply.count(b"HTTP/1.1 200 OK") != 3 or b'"ApiVersion":"v1"' not in reply:
            sys.exit(f"keep-alive: got {reply!r}")
        print("ok: three requests on one kept-alive connection")
    elif cmd == "slowloris":
        slowloris(path, float(sys.argv[3]))
    elif cmd == "connect":
        try:
            connect(path).close()
        except PermissionError:
            print("EACCES")
            sys.exit(3)
        print("connected")


if __name__ == "__main__":
    main()
