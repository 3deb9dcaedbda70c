"""Starts a real keywardd (--dev, on a temp directory) for each test that asks for one."""
import os
import socket
import subprocess
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from keyward_client import Keyward

BIN_DIR = os.environ.get("KEYWARD_BIN", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug"))


@pytest.fixture
def keyward(tmp_path):
    state = tmp_path / "state"
    log = open(tmp_path / "keywardd.log", "w")
    process = subprocess.Popen([os.path.join(BIN_DIR, "keywardd"), "--dev", str(state)], stdout=log, stderr=log)
    sock = str(state / "keyward.sock")
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            probe = socket.socket(socket.AF_UNIX)
            probe.connect(sock)
            probe.close()
            break
        except OSError:
            assert process.poll() is None, open(tmp_path / "keywardd.log").read()
            time.sleep(0.05)
    else:
        raise AssertionError("keywardd did not listen")
    client = Keyward(sock, BIN_DIR)
    client.workdir = tmp_path
    yield client
    process.terminate()
    assert process.wait(timeout=20) == 0


class PlatformPair:
    """What the dashboard holds: the platform's key pair (the test plays Alipay)."""

    def __init__(self):
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_pem = self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        self.public_bare = "".join(line for line in self.public_pem.splitlines() if not line.startswith("-----"))


@pytest.fixture
def platform():
    return PlatformPair()


def set_up_one_click(keyward, platform, mode="test", **identity):
    """Setup (with any extra identity fields, such as clientID), one-click rotation, platform
    key, commit, activate. Returns the rotation answer (which holds the merchant public key
    Keyward told the operator to upload)."""
    keyward.json("PUT", f"/v1/modes/{mode}/account", {"pid": "2088101122136241", "appID": "2021001100600000", **identity})
    rotation = keyward.json("POST", f"/v1/modes/{mode}/rotation", {"kind": "generate"})
    keyward.json("POST", f"/v1/modes/{mode}/rotation/platform-key", {"platformKey": platform.public_bare})
    keyward.json("POST", f"/v1/modes/{mode}/rotation/commit")
    keyward.json("POST", f"/v1/modes/{mode}/activate")
    return rotation
