"""A payment service's loop: watch the key set, sign with python-alipay-sdk, verify.

Usage: rotating_client.py SOCKET LOG. Appends one JSON line per iteration to LOG.
"""
import json
import sys
import threading
import time

from alipay import AliPay

sys.path.insert(0, __import__("os").path.dirname(__file__))
from keyward_client import Keyward  # noqa: E402

socket_path, log_path = sys.argv[1], sys.argv[2]
keyward = Keyward(socket_path, bin_dir="")
state = {"set": None, "etag": None}
lock = threading.Lock()


def watch():
    while True:
        headers = {"If-None-Match": state["etag"]} if state["etag"] else {}
        status, response_headers, body = keyward.request("GET", "/v1/keysets/test?wait=30", headers=headers, timeout=40)
        if status == 200:
            with lock:
                state["set"], state["etag"] = body, response_headers.get("ETag")


threading.Thread(target=watch, daemon=True).start()
with open(log_path, "a") as log:
    iteration = 0
    while True:
        with lock:
            key_set = state["set"]
        if key_set is None:
            time.sleep(0.01)
            continue
        iteration += 1
        message = f"app_id={key_set['appID']}&method=alipay.trade.query&out_trade_no={iteration}&sign_type=RSA2"
        record = {"time": time.time(), "version": key_set["version"], "message": message, "merchantPublicKey": key_set["merchantPublicKey"]["spkiBare"]}
        try:
            sdk = AliPay(appid=key_set["appID"], app_notify_url=None, app_private_key_string=key_set["merchantPrivateKey"]["pkcs1Pem"], alipay_public_key_string=key_set["merchantPublicKey"]["spkiPem"], sign_type="RSA2")
            record["signature"] = sdk._sign(message)
            record["ok"] = bool(sdk._verify(message, record["signature"]))
        except Exception as error:  # a failed iteration is what the test looks for
            record["ok"] = False
            record["error"] = repr(error)
        log.write(json.dumps(record) + "\n")
        log.flush()
        time.sleep(0.02)
