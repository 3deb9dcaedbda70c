#!/usr/bin/env python3
"""A read load for the package upgrade: keep-alive GETs of one key set over the Unix socket,
as a payment service's HTTP client sends them, until STOP_FILE exists (or, bounded, for
MAX_SECONDS at the most: then it reports a failure, since it was never told to stop).

    read-load.py SOCKET PATH STOP_FILE MAX_SECONDS

A keep-alive connection the server closed between two requests (EOF or a reset before any byte
of the answer) is opened again and the request sent once more, as HTTP clients do for an
idempotent request; that is a reconnect, not a failure. A failure is a connection that cannot
be opened, an answer that is not 200, or a request that fails again on a fresh connection.
Prints one JSON line: requests, failures, reconnects, the longest wait for an answer, and the
first few failures.
"""
import json
import os
import socket
import sys
import time


class Closed(Exception):
    """The server closed the connection before any byte of the answer."""


def request(conn, path):
    conn.sendall(f"GET {path} HTTP/1.1\r\nHost: keyward\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            if data:
                raise OSError("connection closed in the middle of an answer's head")
            raise Closed()
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            raise OSError("connection closed in the middle of an answer's body")
        body += chunk
    return status


def connect(path):
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(30)
    conn.connect(path)
    return conn


def main():
    socket_path, path, stop_file = sys.argv[1:4]
    deadline = time.monotonic() + float(sys.argv[4])
    requests = failures = reconnects = 0
    slowest = 0.0
    errors = []
    conn = None
    while not os.path.exists(stop_file):
        if time.monotonic() > deadline:
            failures += 1
            errors.append(f"not stopped within {sys.argv[4]} s")
            break
        started = time.monotonic()
        status = None
        for attempt in (1, 2):
            try:
                if conn is None:
                    conn = connect(socket_path)
                status = request(conn, path)
                break
            except (Closed, ConnectionResetError, BrokenPipeError) as error:
                if conn is not None:
                    conn.close()
                conn = None
                if attempt == 1:
                    reconnects += 1
                    continue
                status = f"{type(error).__name__} on a fresh connection"
            except OSError as error:
                if conn is not None:
                    conn.close()
                conn = None
                status = f"{type(error).__name__}: {error}"
                break
        requests += 1
        slowest = max(slowest, time.monotonic() - started)
        if status != 200:
            failures += 1
            if len(errors) < 5:
                errors.append(str(status))
            time.sleep(0.05)
    print(json.dumps({"requests": requests, "failures": failures, "reconnects": reconnects,
                      "slowest_seconds": round(slowest, 3), "errors": errors}), flush=True)


main()
