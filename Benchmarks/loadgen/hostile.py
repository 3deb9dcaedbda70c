#!/usr/bin/env python3
"""hostile.py SOCKET: hostile clients against keywardd, for scripts/gauntlet.

Holds 1,000 connections that never finish a request, and meanwhile sends request smuggling
(Content-Length with Transfer-Encoding, two Content-Lengths), a 10 MB body, invalid UTF-8,
JSON nested 10,000 deep, unknown routes and methods, and traversal in the mode segment. Each
must get a 4xx answer (or a closed connection), never a 2xx or a 5xx, and within 10 s. Last,
a connection pipelines 4 MB of requests and reads no answer: Keyward must stop taking them.
Prints `attacks=N` and exits 1 listing anything unexpected.
"""
import socket
import sys
import time

path = sys.argv[1]
problems = []


def connect() -> socket.socket:
    # A full listen backlog answers EAGAIN at once on a Unix socket: wait for the accept loop.
    for _ in range(1000):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(10)
        try:
            connection.connect(path)
            return connection
        except BlockingIOError:
            connection.close()
            time.sleep(0.005)
    raise RuntimeError("the listen backlog stayed full for 5 s")


def status_of(raw: bytes, name: str) -> None:
    connection = connect()
    try:
        connection.sendall(raw)
        answer = connection.recv(65536)
    except (BrokenPipeError, ConnectionResetError):
        return  # closed on us: refused, fine
    except socket.timeout:
        problems.append(f"{name}: no answer within 10 s")
        return
    finally:
        connection.close()
    if not answer:
        return
    line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    parts = line.split(" ")
    if len(parts) < 2 or not parts[1].isdigit() or not 400 <= int(parts[1]) < 500:
        problems.append(f"{name}: answered {line!r}")


# 1,000 connections that send half a request line and stop.
idle = []
for _ in range(1000):
    connection = connect()
    connection.sendall(b"GET /v1/keys")
    idle.append(connection)

body = b'{"pid":"2088101122136241","appID":"2021001100600000"}'
attacks = {
    "CL+TE smuggling": b"POST /v1/modes/test/activate HTTP/1.1\r\nHost: k\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /v1/health HTTP/1.1\r\nHost: k\r\n\r\n",
    "two Content-Lengths": b"PUT /v1/modes/test/account HTTP/1.1\r\nHost: k\r\nContent-Length: 2\r\nContent-Length: 60\r\n\r\n" + body,
    "10 MB body": b"PUT /v1/modes/test/account HTTP/1.1\r\nHost: k\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n" + b"{" * 65536,
    "invalid UTF-8": b"PUT /v1/modes/test/account HTTP/1.1\r\nHost: k\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"pid\":\"\xff\xfe\xfd\"}  ",
    "JSON 10,000 deep": (lambda nested: b"PUT /v1/modes/test/account HTTP/1.1\r\nHost: k\r\nContent-Type: application/json\r\nContent-Length: "
                          + str(len(nested)).encode() + b"\r\n\r\n" + nested)(b"[" * 10000 + b"]" * 10000),
    "unknown route": b"GET /v1/secrets/all HTTP/1.1\r\nHost: k\r\n\r\n",
    "unknown method": b"BREW /v1/keysets/test HTTP/1.1\r\nHost: k\r\n\r\n",
    "traversal in the mode": b"GET /v1/keysets/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: k\r\n\r\n",
    "dot-dot mode": b"GET /v1/keysets/../test HTTP/1.1\r\nHost: k\r\n\r\n",
    "NUL in the path": b"GET /v1/keysets/te\x00st HTTP/1.1\r\nHost: k\r\n\r\n",
    "oversized header": b"GET /v1/health HTTP/1.1\r\nHost: k\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n",
    "garbage request line": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
}
for name, raw in attacks.items():
    status_of(raw, name)

# Pipelining without reading: 4 MB of requests sent (as far as the socket takes them) and no
# answer read. Keyward stops reading while its send buffer is full, so this costs it a socket
# buffer, not memory for 100,000 queued answers (the gauntlet prints resident memory after).
flood = connect()
flood.setblocking(False)
pending = b"GET /v1/health HTTP/1.1\r\nHost: k\r\n\r\n" * 100_000
sent, started = 0, time.monotonic()
while sent < len(pending) and time.monotonic() - started < 3:
    try:
        sent += flood.send(pending[sent:sent + 65536])
    except BlockingIOError:
        time.sleep(0.01)
    except (BrokenPipeError, ConnectionResetError):
        break
if sent >= len(pending):
    problems.append("pipelining flood: all 4 MB were taken without one answer read (reads were not held back)")

time.sleep(2)  # the honest client keeps measuring while the idle connections are held
for connection in idle:
    connection.close()
flood.close()

print(f"attacks={len(attacks) + 2}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
