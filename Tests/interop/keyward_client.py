"""A small test client for keywardd: HTTP over its Unix socket, and the keywardctl binary."""
import http.client
import json
import os
import socket
import subprocess


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=30):
        super().__init__("keyward", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class Keyward:
    def __init__(self, socket_path, bin_dir):
        self.socket_path = socket_path
        self.bin_dir = bin_dir

    def request(self, method, path, body=None, headers=None, timeout=30):
        connection = UnixHTTPConnection(self.socket_path, timeout=timeout)
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), (json.loads(payload) if payload else None)

    def json(self, method, path, body=None):
        status, _, answer = self.request(method, path, body)
        assert 200 <= status < 300, f"{method} {path} -> {status}: {answer}"
        return answer

    def ctl(self, *arguments, check=True):
        result = subprocess.run(
            [os.path.join(self.bin_dir, "keywardctl"), *arguments],
            env={**os.environ, "KEYWARD_SOCKET": self.socket_path},
            capture_output=True,
            text=True,
        )
        if check:
            assert result.returncode == 0, f"keywardctl {' '.join(arguments)}: {result.stderr}"
        return result
