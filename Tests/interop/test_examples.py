"""The examples in examples/ run against a real keywardd, so they cannot rot."""
import os
import subprocess
import sys
import time

from conftest import PlatformPair, set_up_one_click

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


def test_the_python_example_fetches_signs_and_follows_a_commit(keyward, platform):
    set_up_one_click(keyward, platform)
    example = subprocess.Popen(
        [sys.executable, os.path.join(EXAMPLES, "python", "keyward_client.py"), keyward.socket_path, "test", "--watch", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(1.0)
    next_platform = PlatformPair()
    (keyward.workdir / "next.pem").write_text(next_platform.public_pem)
    keyward.ctl("rotate", "test", "--generate")
    keyward.ctl("platform-key", "test", "--platform-key", str(keyward.workdir / "next.pem"))
    keyward.ctl("commit", "test")
    out, err = example.communicate(timeout=30)
    assert example.returncode == 0, err
    assert "test v1 app_id=2021001100600000" in out
    assert "signed with v1" in out
    assert "test v2 committed" in out


def test_the_curl_example_runs(keyward, platform):
    set_up_one_click(keyward, platform)
    result = subprocess.run([os.path.join(EXAMPLES, "shell", "keyward.sh"), keyward.socket_path, "test"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert '"status":"ok"' in result.stdout
    assert '"signature"' in result.stdout
    assert "watch: HTTP 304" in result.stdout


def test_the_node_example_fetches_and_signs(keyward, platform):
    rotation = set_up_one_click(keyward, platform)
    result = subprocess.run(["node", os.path.join(EXAMPLES, "node", "keyward-client.mjs"), keyward.socket_path, "test"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "test v1 app_id=2021001100600000" in result.stdout
    assert "signed with v1" in result.stdout
