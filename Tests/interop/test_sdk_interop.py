"""The real Alipay SDKs from PyPI against keys served by a real keywardd.

Each SDK is configured with key fields exactly as GET /v1/keysets/{mode} serves them, in
the form the SDK takes, with no editing.
"""
import base64
import json
from urllib.parse import parse_qsl, unquote_plus

import pytest
from alipay import AliPay
from alipay.aop.api.util.SignatureUtils import sign_with_rsa2, verify_with_rsa
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from conftest import set_up_one_click


def verify_with_uploaded_key(public_bare, message: bytes, signature_b64: str):
    """Checks a signature with the merchant public key the operator uploaded (one-line SPKI)."""
    key = serialization.load_der_public_key(base64.b64decode(public_bare))
    key.verify(base64.b64decode(signature_b64), message, padding.PKCS1v15(), hashes.SHA256())


def platform_sign(platform, message: bytes) -> str:
    return base64.b64encode(platform.private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def python_alipay_sdk(key_set, alipay_public_key=None):
    return AliPay(
        appid=key_set["appID"],
        app_notify_url=None,
        app_private_key_string=key_set["merchantPrivateKey"]["pkcs1Pem"],
        alipay_public_key_string=alipay_public_key or key_set["platformPublicKey"]["spkiPem"],
        sign_type="RSA2",
    )


def test_python_alipay_sdk_signs_a_page_pay_request_that_verifies_with_the_uploaded_key(keyward, platform):
    rotation = set_up_one_click(keyward, platform)
    key_set = keyward.json("GET", "/v1/keysets/test")
    alipay = python_alipay_sdk(key_set)
    query = alipay.api_alipay_trade_page_pay(out_trade_no="20261125000001", total_amount="88.88", subject="keyward interop", return_url=None, notify_url=None)
    # Everything but "sign" is what python-alipay-sdk signed (sign_type included).
    signed_items = dict(parse_qsl(query, keep_blank_values=True))
    signature = signed_items["sign"]
    signed_items.pop("sign")
    unsigned = "&".join(f"{k}={signed_items[k]}" for k in sorted(signed_items))
    verify_with_uploaded_key(rotation["merchantPublicKeyToUpload"], unsigned.encode(), signature)


def test_official_sdk_signs_with_the_bare_pkcs1_key_and_the_uploaded_key_verifies(keyward, platform):
    rotation = set_up_one_click(keyward, platform)
    key_set = keyward.json("GET", "/v1/keysets/test")
    content = "app_id=2021001100600000&biz_content={\"out_trade_no\":\"20261125000002\"}&charset=utf-8&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-11-25 10:00:00&version=1.0"
    signature = sign_with_rsa2(key_set["merchantPrivateKey"]["pkcs1Bare"], content, "utf-8")
    verify_with_uploaded_key(rotation["merchantPublicKeyToUpload"], content.encode(), signature)
    assert verify_with_rsa(rotation["merchantPublicKeyToUpload"], content.encode(), signature)


def test_a_platform_notification_verifies_in_both_sdks_and_through_keyward(keyward, platform):
    set_up_one_click(keyward, platform)
    key_set = keyward.json("GET", "/v1/keysets/test")
    notification = {"app_id": "2021001100600000", "out_trade_no": "20261125000003", "trade_no": "2026112522001", "trade_status": "TRADE_SUCCESS", "total_amount": "88.88"}
    message = "&".join(f"{k}={notification[k]}" for k in sorted(notification))
    signature = platform_sign(platform, message.encode())

    assert python_alipay_sdk(key_set).verify(dict(notification, sign_type="RSA2"), signature)
    assert verify_with_rsa(key_set["platformPublicKey"]["spkiBare"], message.encode(), signature)
    answer = keyward.json("POST", "/v1/keysets/test/verify", {"text": message, "signature": signature})
    assert answer == {"valid": True, "matched": "current", "keyVersion": "1", "algorithm": "RSA2"}

    tampered = keyward.json("POST", "/v1/keysets/test/verify", {"text": message.replace("88.88", "8.88"), "signature": signature})
    assert tampered["valid"] is False


def test_the_signing_oracle_matches_each_sdk_byte_for_byte_and_passes_their_verification(keyward, platform):
    rotation = set_up_one_click(keyward, platform)
    key_set = keyward.json("GET", "/v1/keysets/test")
    params = {"app_id": "2021001100600000", "method": "alipay.trade.query", "charset": "utf-8", "sign_type": "RSA2", "timestamp": "2026-11-25 10:00:00", "version": "1.0", "biz_content": json.dumps({"out_trade_no": "20261125000004"})}
    content = "&".join(f"{k}={params[k]}" for k in sorted(params))

    oracle = keyward.json("POST", "/v1/keysets/test/sign", {"text": content})
    assert oracle["algorithm"] == "RSA2" and oracle["keyVersion"] == "1"

    assert oracle["signature"] == python_alipay_sdk(key_set)._sign(content)
    assert oracle["signature"] == sign_with_rsa2(key_set["merchantPrivateKey"]["pkcs1Bare"], content, "utf-8")
    # Each SDK's own verification accepts it with the uploaded merchant public key.
    merchant_pem = key_set["merchantPublicKey"]["spkiPem"]
    assert python_alipay_sdk(key_set, alipay_public_key=merchant_pem)._verify(content, oracle["signature"])
    assert verify_with_rsa(rotation["merchantPublicKeyToUpload"], content.encode(), oracle["signature"])


def test_alipay_plus_signature_header_and_response_verification(keyward, platform):
    rotation = set_up_one_click(keyward, platform, clientID="SANDBOX_5X00000000000000", platformKeyVersion="2")
    # No clientId in the message: the mode's is signed, and the header carries the mode's
    # configured key version (not Keyward's own version counter).
    request = {"method": "POST", "path": "/aps/api/v1/payments/pay", "time": "2026-11-25T10:00:00+08:00", "body": json.dumps({"paymentRequestId": "pay-1", "paymentAmount": {"currency": "USD", "value": "100"}})}
    answer = keyward.json("POST", "/v1/keysets/test/sign", {"alipayPlus": request})
    assert answer["clientId"] == "SANDBOX_5X00000000000000"
    header = answer["signatureHeader"]
    fields = dict(field.split("=", 1) for field in header.split(","))
    assert fields["algorithm"] == "RSA256"
    assert fields["keyVersion"] == "2" and keyward.json("GET", "/v1/keysets/test")["platformKeyVersion"] == "2"
    request["clientId"] = "SANDBOX_5X00000000000000"
    # Another Client-ID (another merchant's, another mode's) is refused, never signed.
    status, _, refused = keyward.request("POST", "/v1/keysets/test/sign", {"alipayPlus": dict(request, clientId="SANDBOX_OTHER")})
    assert status == 422 and refused["error"]["code"] == "identity.client-id-mismatch"
    content = f"POST /aps/api/v1/payments/pay\nSANDBOX_5X00000000000000.2026-11-25T10:00:00+08:00.{request['body']}"
    verify_with_uploaded_key(rotation["merchantPublicKeyToUpload"], content.encode(), unquote_plus(fields["signature"]))

    response_body = json.dumps({"result": {"resultCode": "SUCCESS", "resultStatus": "S"}})
    response_content = f"POST /aps/api/v1/payments/pay\nSANDBOX_5X00000000000000.2026-11-25T10:00:01+08:00.{response_body}"
    platform_signature = platform_sign(platform, response_content.encode())
    platform_header = "algorithm=RSA256,keyVersion=1,signature=" + platform_signature.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    verified = keyward.json("POST", "/v1/keysets/test/verify", {"alipayPlus": dict(request, time="2026-11-25T10:00:01+08:00", body=response_body, signature=platform_header)})
    assert verified["valid"] is True and verified["matched"] == "current"


def test_live_mode_serves_no_private_key_and_signs_through_keyward(keyward, platform):
    set_up_one_click(keyward, platform, mode="live")
    key_set = keyward.json("GET", "/v1/keysets/live")
    assert "merchantPrivateKey" not in key_set
    answer = keyward.json("POST", "/v1/keysets/live/sign", {"text": "a=1&b=2"})
    verify_with_uploaded_key(key_set["merchantPublicKey"]["spkiBare"], b"a=1&b=2", answer["signature"])


# The hooks of docs/integration.md ("Signing live requests through Keyward, SDK by SDK"), in
# live mode, which exports no private key: the SDK never holds one.

class KeywardAliPay(AliPay):
    """python-alipay-sdk with its signing step done by Keyward (docs/integration.md)."""

    def __init__(self, keyward_sign, **kwargs):
        self._keyward_sign = keyward_sign
        super().__init__(**kwargs)

    def _load_key(self):
        # Only the platform key is loaded: there is no private key in this process.
        from Cryptodome.PublicKey import RSA
        self._alipay_public_key = RSA.importKey(self._alipay_public_key_string)

    def _sign(self, unsigned_string):
        return self._keyward_sign(unsigned_string)


def test_python_alipay_sdk_signs_live_requests_through_keyward_with_the_documented_hook(keyward, platform):
    set_up_one_click(keyward, platform, mode="live")
    key_set = keyward.json("GET", "/v1/keysets/live")
    assert "merchantPrivateKey" not in key_set
    signed_by_keyward = []

    def keyward_sign(text):
        answer = keyward.json("POST", "/v1/keysets/live/sign", {"text": text})
        signed_by_keyward.append(text)
        return answer["signature"]

    alipay = KeywardAliPay(keyward_sign, appid=key_set["appID"], alipay_public_key_string=key_set["platformPublicKey"]["spkiPem"], sign_type="RSA2")
    query = alipay.api_alipay_trade_page_pay(out_trade_no="20261201000001", total_amount="12.30", subject="keyward live", return_url=None, notify_url=None)
    fields = dict(parse_qsl(query, keep_blank_values=True))
    signature = fields.pop("sign")
    unsigned = "&".join(f"{k}={fields[k]}" for k in sorted(fields))
    assert signed_by_keyward == [unsigned]
    verify_with_uploaded_key(key_set["merchantPublicKey"]["spkiBare"], unsigned.encode(), signature)
    # The same SDK object verifies what the platform sends, with the key Keyward serves.
    notification = {"app_id": key_set["appID"], "out_trade_no": "20261201000001", "trade_status": "TRADE_SUCCESS"}
    message = "&".join(f"{k}={notification[k]}" for k in sorted(notification))
    assert alipay.verify(dict(notification, sign_type="RSA2"), platform_sign(platform, message.encode()))


def test_official_sdk_string_signed_by_keyward_verifies_with_the_uploaded_key(keyward, platform):
    from alipay.aop.api.util.SignatureUtils import get_sign_content
    set_up_one_click(keyward, platform, mode="live")
    key_set = keyward.json("GET", "/v1/keysets/live")
    params = {"app_id": key_set["appID"], "method": "alipay.trade.query", "charset": "utf-8", "sign_type": "RSA2",
              "timestamp": "2026-12-01 10:00:00", "version": "1.0", "biz_content": {"out_trade_no": "20261201000002"}}
    content = get_sign_content(params)
    params["sign"] = keyward.json("POST", "/v1/keysets/live/sign", {"text": content})["signature"]
    assert verify_with_rsa(key_set["merchantPublicKey"]["spkiBare"], content.encode(), params["sign"])


def test_an_async_notification_form_verifies_through_keyward_as_documented(keyward, platform):
    set_up_one_click(keyward, platform, mode="live")
    notification = {"gmt_create": "2026-12-01 10:00:00", "notify_type": "trade_status_sync", "out_trade_no": "20261201000003",
                    "subject": "keyward & co = test", "total_amount": "88.88", "trade_status": "TRADE_SUCCESS", "buyer_logon_id": ""}
    message = "&".join(f"{k}={notification[k]}" for k in sorted(notification))
    signature = platform_sign(platform, message.encode())
    # What the platform posts: a URL-encoded form with sign and sign_type.
    from urllib.parse import urlencode
    body = urlencode(dict(notification, sign=signature, sign_type="RSA2"))

    def verify_notification(form_body):
        fields = dict(parse_qsl(form_body, keep_blank_values=True))
        got_signature = fields.pop("sign")
        fields.pop("sign_type", None)
        text = "&".join(f"{k}={fields[k]}" for k in sorted(fields))
        return keyward.json("POST", "/v1/keysets/live/verify", {"text": text, "signature": got_signature})["valid"]

    assert verify_notification(body) is True
    assert verify_notification(body.replace("88.88", "8.88")) is False
