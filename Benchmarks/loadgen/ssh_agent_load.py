#!/usr/bin/env python3
"""ssh_agent_load.py AGENT_SOCKET KEY.pub CONNECTIONS SECONDS

The peer for Keyward's signing benchmark: rsa-sha2-256 signatures from OpenSSH's ssh-agent
over its Unix socket (SSH2_AGENTC_SIGN_REQUEST with SSH_AGENT_RSA_SHA2_256), one request at a
time per connection, CONNECTIONS connections in parallel, for SECONDS. Prints
`RESULT requests=… failed=… rps=…`.
"""
import base64
import socket
import struct
import sys
import threading
import time

SIGN_REQUEST, SIGN_RESPONSE, RSA_SHA2_256 = 13, 14, 2


def string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def main() -> None:
    agent, public_key_file, connections, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    blob = base64.b64decode(open(public_key_file).read().split()[1])
    payload = bytes([SIGN_REQUEST]) + string(blob) + string(b"app_id=2021001100600000&method=alipay.trade.query") + struct.pack(">I", RSA_SHA2_256)
    request = string(payload)
    counts = [0] * connections
    failures = [0] * connections
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(agent)
        while time.monotonic() < deadline:
            connection.sendall(request)
            header = b""
            while len(header) < 4:
                header += connection.recv(4 - len(header))
            length = struct.unpack(">I", header)[0]
            body = b""
            while len(body) < length:
                body += connection.recv(length - len(body))
            if body[0] == SIGN_RESPONSE:
                counts[index] += 1
            else:
                failures[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    print(f"RESULT requests={sum(counts)} failed={sum(failures)} rps={sum(counts) / elapsed:.0f}")


if __name__ == "__main__":
    main()
