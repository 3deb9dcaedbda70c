#!/usr/bin/env python3
"""ready_time.py KEYWARDD ARGS...: time from starting keywardd to its READY=1 (sd_notify).

Gives keywardd a NOTIFY_SOCKET of its own, waits for the datagram holding READY=1, stops the
daemon with SIGTERM, and prints `RESULT ms=…`.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


def main() -> None:
    directory = tempfile.mkdtemp(prefix="keyward-ready-")
    path = os.path.join(directory, "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    listener.settimeout(30)
    environment = dict(os.environ, NOTIFY_SOCKET=path)
    started = time.monotonic()
    daemon = subprocess.Popen(sys.argv[1:], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            message = listener.recv(4096).decode()
            if "READY=1" in message.split("\n"):
                break
        elapsed = (time.monotonic() - started) * 1000
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        listener.close()
        os.unlink(path)
        os.rmdir(directory)
    print(f"RESULT ms={elapsed:.1f}")


if __name__ == "__main__":
    main()
