#!/usr/bin/env python3
"""A stand-in payment service for the real-systemd scenario: what a service under its own
unit does with Keyward, using the client in examples/python (standard library only).

    payment-service.py SOCKET MODE

It fetches MODE's key set, has Keyward sign a request, and checks the signature with the
merchant public key of the version the signature names (with `openssl`, as an outsider
would). Then it holds a watch open; each new set it is given is signed with and checked the
same way. Each step prints one line that the scenario looks for in the journal:

    ready: uid 998 test v1
    watch: test v2
    signed: test v2 verified

A connection that fails (keywardd restarting) or a retryable answer is retried with backoff
(100 ms doubling to 5 s), as docs/integration.md recommends; a refusal (403) ends the service.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../examples/python"))
from keyward_client import KeywardClient, KeywardError  # noqa: E402


def say(line):
    print(line, flush=True)


def with_retry(action):
    """Runs `action`, retrying connection failures and retryable errors with backoff."""
    delay = 0.1
    while True:
        try:
            return action()
        except KeywardError as error:
            if not error.retryable:
                raise
            say(f"retry: {error}")
        except OSError as error:
            say(f"retry: {error}")
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


class Service:
    def __init__(self, socket_path, mode):
        self.client = KeywardClient(socket_path)
        self.mode = mode
        self.public_keys = {}  # version -> merchant public key PEM, from every set seen
        self.workdir = tempfile.mkdtemp(prefix="payment-service-")
        self.count = 0

    def learn(self, key_set):
        self.public_keys[str(key_set["version"])] = key_set["merchantPublicKey"]["spkiPem"]
        previous = key_set.get("previous")
        if previous:
            self.public_keys.setdefault(str(previous["version"]), previous["merchantPublicKey"]["spkiPem"])

    def verified(self, text, signature, version):
        paths = {name: os.path.join(self.workdir, name) for name in ("key.pem", "text", "signature.b64", "signature")}
        with open(paths["key.pem"], "w") as handle:
            handle.write(self.public_keys[version])
        with open(paths["text"], "w") as handle:
            handle.write(text)
        with open(paths["signature.b64"], "w") as handle:
            handle.write(signature)
        subprocess.run(["openssl", "base64", "-d", "-A", "-in", paths["signature.b64"], "-out", paths["signature"]], check=True)
        check = subprocess.run(
            ["openssl", "dgst", "-sha256", "-verify", paths["key.pem"], "-signature", paths["signature"], paths["text"]],
            capture_output=True,
        )
        return check.returncode == 0

    def sign_and_check(self):
        self.count += 1
        text = f"app_id=2021000000000001&biz_content={{\"out_trade_no\":\"{os.getpid()}-{self.count}\"}}&method=alipay.trade.query&sign_type=RSA2"
        signature, version = with_retry(lambda: self.client.sign(self.mode, text))
        version = str(version)
        if version not in self.public_keys:
            self.learn(with_retry(lambda: self.client.key_set(self.mode)))
        if version not in self.public_keys:
            say(f"FAILED: signed with {self.mode} v{version}, a version this service was never shown")
            sys.exit(1)
        if not self.verified(text, signature, version):
            say(f"FAILED: the signature named {self.mode} v{version} but does not verify with that version's public key")
            sys.exit(1)
        say(f"signed: {self.mode} v{version} verified")

    def run(self):
        key_set = with_retry(lambda: self.client.key_set(self.mode))
        self.learn(key_set)
        say(f"ready: uid {os.getuid()} {self.mode} v{key_set['version']}")
        self.sign_and_check()
        while True:
            new = with_retry(lambda: self.client.next_key_set(self.mode, wait=30))
            if new is None:
                continue
            self.learn(new)
            say(f"watch: {self.mode} v{new['version']}")
            self.sign_and_check()


if __name__ == "__main__":
    try:
        Service(sys.argv[1], sys.argv[2]).run()
    except KeywardError as error:
        say(f"refused: {error}")
        sys.exit(3)
