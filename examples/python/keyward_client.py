#!/usr/bin/env python3
"""A payment service's Keyward client, standard library only.

    python3 keyward_client.py SOCKET MODE [--watch N]

Fetches MODE's key set over keywardd's Unix socket, has Keyward sign an open-platform
request (the private key stays in Keyward), and with --watch N waits for N commits and
prints each new version. Copy what you need: KeywardClient is the whole integration.
"""
import http.client
import json
import socket
import sys


class KeywardError(RuntimeError):
    """An error answer from keywardd: HTTP status, code, message and hint (docs/api.md)."""

    # Answers that say "try again later": the request may succeed unchanged (docs/api.md).
    RETRYABLE_STATUSES = (408, 429, 500, 502, 503, 504)

    def __init__(self, status, code, message, hint):
        super().__init__(f"{code}: {message} ({hint})")
        self.status, self.code, self.message, self.hint = status, code, message, hint

    @property
    def retryable(self):
        return self.status in self.RETRYABLE_STATUSES


class KeywardClient:
    """Talks HTTP/1.1 + JSON to keywardd over its Unix socket."""

    class _Connection(http.client.HTTPConnection):
        def __init__(self, path, timeout):
            super().__init__("keyward", timeout=timeout)
            self._path = path

        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(self.timeout)
            self.sock.connect(self._path)

    def __init__(self, socket_path):
        self.socket_path = socket_path
        self.etag = {}

    def _call(self, method, path, body=None, headers=None, timeout=30):
        connection = self._Connection(self.socket_path, timeout)
        try:
            connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers or {})
            response = connection.getresponse()
            payload = response.read()
            data = json.loads(payload) if payload else None
            if response.status >= 400:
                error = (data or {}).get("error", {})
                raise KeywardError(response.status, error.get("code"), error.get("message"), error.get("hint"))
            return response.status, response.getheader("ETag"), data
        finally:
            connection.close()

    def key_set(self, mode):
        """The current key set: one whole set, all fields from the same commit."""
        _, etag, data = self._call("GET", f"/v1/keysets/{mode}")
        self.etag[mode] = etag
        return data

    def next_key_set(self, mode, wait=55):
        """Blocks until the next commit (then returns the new set) or `wait` seconds (None)."""
        status, etag, data = self._call("GET", f"/v1/keysets/{mode}?wait={wait}", headers={"If-None-Match": self.etag.get(mode, "")}, timeout=wait + 10)
        if status == 304:
            return None
        self.etag[mode] = etag
        return data

    def sign(self, mode, text):
        """RSA2 signature of `text` by the mode's merchant private key, and its key version."""
        _, _, data = self._call("POST", f"/v1/keysets/{mode}/sign", {"text": text})
        return data["signature"], data["keyVersion"]

    def verify(self, mode, text, signature):
        """Whether the platform signed `text` (current key, or previous in the grace window)."""
        _, _, data = self._call("POST", f"/v1/keysets/{mode}/verify", {"text": text, "signature": signature})
        return data["valid"]


def main():
    socket_path, mode = sys.argv[1], sys.argv[2]
    watches = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--watch" else 0
    client = KeywardClient(socket_path)
    key_set = client.key_set(mode)
    print(f"{mode} v{key_set['version']} app_id={key_set['appID']} platform key {key_set['platformPublicKey']['fingerprint'][:16]}")
    params = {"app_id": key_set["appID"], "method": "alipay.trade.query", "charset": "utf-8", "sign_type": "RSA2", "timestamp": "2026-11-25 10:00:00", "version": "1.0", "biz_content": json.dumps({"out_trade_no": "demo-1"})}
    content = "&".join(f"{k}={params[k]}" for k in sorted(params))
    signature, version = client.sign(mode, content)
    print(f"signed with v{version}: {signature[:24]}…")
    for _ in range(watches):
        new = None
        while new is None:
            new = client.next_key_set(mode)
        print(f"{mode} v{new['version']} committed")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
