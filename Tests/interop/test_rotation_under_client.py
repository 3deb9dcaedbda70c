"""A payment service keeps working through one-click and own-keys rotations."""
import base64
import json
import os
import subprocess
import sys
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from conftest import PlatformPair, set_up_one_click

CLIENT = os.path.join(os.path.dirname(__file__), "rotating_client.py")


def test_a_live_client_survives_rotations_and_picks_up_the_new_set_within_a_second(keyward, platform):
    set_up_one_click(keyward, platform)
    log_path = keyward.workdir / "client.jsonl"
    client = subprocess.Popen([sys.executable, CLIENT, keyward.socket_path, str(log_path)])
    try:
        time.sleep(1.5)
        commits = {}
        # One-click through keywardctl: Keyward generates, the test plays the dashboard.
        platform2 = PlatformPair()
        (keyward.workdir / "platform2.pem").write_text(platform2.public_pem)
        keyward.ctl("rotate", "test", "--generate")
        keyward.ctl("platform-key", "test", "--platform-key", str(keyward.workdir / "platform2.pem"))
        keyward.ctl("commit", "test")
        commits[2] = time.time()
        time.sleep(1.5)
        # Own keys through keywardctl: a pair made offline.
        own = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (keyward.workdir / "own.pem").write_bytes(own.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
        platform3 = PlatformPair()
        (keyward.workdir / "platform3.pem").write_text(platform3.public_pem)
        keyward.ctl("rotate", "test", "--own-keys", "--private-key", str(keyward.workdir / "own.pem"))
        keyward.ctl("platform-key", "test", "--platform-key", str(keyward.workdir / "platform3.pem"))
        keyward.ctl("commit", "test")
        commits[3] = time.time()
        time.sleep(1.5)
    finally:
        client.terminate()
        client.wait(timeout=10)

    records = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    failures = [r for r in records if not r["ok"]]
    assert not failures, failures[:3]
    assert len(records) > 20
    # Each signature verifies with the merchant public key of the version it was made with.
    keys = {}
    for record in records:
        keys.setdefault(record["version"], record["merchantPublicKey"])
        assert keys[record["version"]] == record["merchantPublicKey"], "two keys for one version"
        public = serialization.load_der_public_key(base64.b64decode(record["merchantPublicKey"]))
        public.verify(base64.b64decode(record["signature"]), record["message"].encode(), padding.PKCS1v15(), hashes.SHA256())
    assert set(keys) == {1, 2, 3}
    # The client moved to each new version within a second of its commit (through the watch).
    for version, committed in commits.items():
        first_use = min(r["time"] for r in records if r["version"] == version)
        assert first_use - committed < 1.0, f"v{version} first used {first_use - committed:.3f} s after commit"
        print(f"v{version} in use {1000 * (first_use - committed):.0f} ms after the commit")
