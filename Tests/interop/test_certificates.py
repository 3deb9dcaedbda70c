"""Certificate mode: Keyward's CSR and Alipay SNs against python-alipay-sdk's DCAliPay, on a
test CA chain made with openssl (an RSA root, an EC root the root SN must skip, an app
certificate over the merchant key from Keyward's CSR, and an Alipay certificate)."""
import os
import subprocess

from alipay import DCAliPay


def openssl(*arguments, cwd):
    subprocess.run(["openssl", *arguments], cwd=cwd, check=True, capture_output=True)


def make_chain(directory, ctl):
    d = str(directory)
    # The RSA root, signed with sha256WithRSAEncryption; an EC root beside it in the root file.
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "30",
            "-subj", "/C=CN/O=Keyward Test/OU=Certification Authority/CN=Keyward Test Root", cwd=d)
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ec.key",
            "-out", "ec.pem", "-days", "30", "-subj", "/C=CN/O=Keyward Test/OU=EC/CN=Keyward EC Root", cwd=d)
    root_file = open(os.path.join(d, "root.pem")).read().strip() + "\n\n" + open(os.path.join(d, "ec.pem")).read().strip() + "\n"
    open(os.path.join(d, "alipayRootCert.crt"), "w").write(root_file)
    # The merchant's CSR, made by Keyward's key tool, certified by the root (as Alipay's CA would).
    made = subprocess.run([ctl, "key", "csr", "merchant", "--common-name", "Keyward Test App", "--organization", "Keyward Test"],
                          cwd=d, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    openssl("x509", "-req", "-in", "merchant.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "4242424242424242",
            "-days", "30", "-sha256", "-out", "appCertPublicKey.crt", cwd=d)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "alipay.key", "-out", "alipay.csr",
            "-subj", "/C=CN/O=Alipay Test/OU=Open Platform/CN=Alipay Test Cert", cwd=d)
    openssl("x509", "-req", "-in", "alipay.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "777",
            "-days", "30", "-sha256", "-out", "alipayCertPublicKey_RSA2.crt", cwd=d)
    return d


def sn(ctl, d, *arguments):
    result = subprocess.run([ctl, "key", "cert-sn", *arguments], cwd=d, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_certificate_sns_match_the_sdk(keyward, tmp_path):
    ctl = os.path.join(keyward.bin_dir, "keywardctl")
    d = make_chain(tmp_path, ctl)
    read = lambda name: open(os.path.join(d, name)).read()
    assert sn(ctl, d, "appCertPublicKey.crt") == DCAliPay.get_cert_sn(read("appCertPublicKey.crt"))
    assert sn(ctl, d, "alipayCertPublicKey_RSA2.crt") == DCAliPay.get_cert_sn(read("alipayCertPublicKey_RSA2.crt"))
    root_sn = sn(ctl, d, "--root", "alipayRootCert.crt")
    assert root_sn == DCAliPay.get_root_cert_sn(read("alipayRootCert.crt"))
    assert "_" not in root_sn, "the EC root must not count"
    # cert-info says the app certificate is over the CSR's key.
    info = subprocess.run([ctl, "key", "cert-info", "appCertPublicKey.crt", "--private-key", "merchant_private_key.pem"],
                          cwd=d, capture_output=True, text=True)
    assert info.returncode == 0 and "matches the private key" in info.stdout, info.stdout + info.stderr
    other = subprocess.run([ctl, "key", "cert-info", "alipayCertPublicKey_RSA2.crt", "--private-key", "merchant_private_key.pem"],
                           cwd=d, capture_output=True, text=True)
    assert other.returncode == 1 and "does NOT match" in other.stdout


# --- Certificate mode served by keywardd, used by DCAliPay -------------------------------------

from base64 import b64decode, b64encode

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding


class TestCA:
    """Alipay's CA, played with openssl: an RSA root (sha256WithRSAEncryption) and an EC root in
    the root file, an issuing CA, and certificates that carry the issuing CA after the leaf."""

    def __init__(self, directory):
        self.d = str(directory)
        os.makedirs(self.d, exist_ok=True)
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "60",
                "-sha256", "-subj", "/C=CN/O=Keyward Test/OU=Certification Authority/CN=Keyward Test Root", cwd=self.d)
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ec.key",
                "-out", "ec.pem", "-days", "60", "-subj", "/C=CN/O=Keyward Test/OU=EC/CN=Keyward EC Root", cwd=self.d)
        self.write("ca.ext", "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.csr",
                "-subj", "/C=CN/O=Keyward Test/OU=Certification Authority/CN=Keyward Test Class 2 R1", cwd=self.d)
        openssl("x509", "-req", "-in", "ca.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "1001", "-days", "60",
                "-sha256", "-extfile", "ca.ext", "-out", "ca.pem", cwd=self.d)
        self.write("alipayRootCert.crt", self.read("root.pem").strip() + "\n\n" + self.read("ec.pem").strip() + "\n")

    def read(self, name):
        return open(os.path.join(self.d, name)).read()

    def write(self, name, text):
        open(os.path.join(self.d, name), "w").write(text)

    def issue(self, csr, name, serial):
        """Certifies the CSR file; writes NAME (the leaf, then the issuing CA) and returns its path."""
        openssl("x509", "-req", "-in", csr, "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", str(serial), "-days", "30",
                "-sha256", "-out", name + ".leaf", cwd=self.d)
        self.write(name, self.read(name + ".leaf") + self.read("ca.pem"))
        return os.path.join(self.d, name)

    def alipay(self, serial):
        """A new Alipay certificate over a new key: (certificate file path, key path)."""
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"alipay{serial}.key", "-out", f"alipay{serial}.csr",
                "-subj", f"/C=CN/O=Alipay Test/OU=Open Platform/CN=Alipay Test Cert {serial}", cwd=self.d)
        return self.issue(f"alipay{serial}.csr", f"alipayCertPublicKey_RSA2_{serial}.crt", serial), os.path.join(self.d, f"alipay{serial}.key")


def rsa_sign(key_path, text):
    """Alipay's side: a response signed with its certificate's key (openssl, SHA256withRSA)."""
    made = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_path], input=text.encode(), capture_output=True, check=True)
    return b64encode(made.stdout).decode()


def dc_alipay(document):
    """DCAliPay configured with the strings Keyward serves, as they are."""
    certificates = document["certificates"]
    return DCAliPay(
        appid=document["appID"],
        app_private_key_string=document["merchantPrivateKey"]["pkcs1Pem"],
        app_public_key_cert_string=certificates["appCertificate"]["pem"],
        alipay_public_key_cert_string=certificates["alipayCertificate"]["pem"],
        alipay_root_cert_string=certificates["alipayRootCertificate"]["pem"],
    )


def test_dcalipay_uses_what_keyward_serves_in_certificate_mode(keyward, tmp_path):
    ca = TestCA(tmp_path / "ca")
    keyward.json("PUT", "/v1/modes/test/account", {"pid": "2088101122136241", "appID": "2021001100600000"})
    keyward.ctl("rotate", "test", "--generate")
    csr = str(tmp_path / "test.csr")
    keyward.ctl("csr", "test", "--common-name", "Keyward Test App", "--organization", "Keyward Test", "--out", csr)
    app = ca.issue(csr, "appCertPublicKey_2021001100600000.crt", 4242424242424242)
    alipay, alipay_key = ca.alipay(777)
    root = os.path.join(ca.d, "alipayRootCert.crt")
    keyward.ctl("platform-key", "test", "--app-cert", app, "--alipay-cert", alipay, "--root-cert", root)
    keyward.ctl("commit", "test")
    keyward.ctl("activate", "test")
    document = keyward.json("GET", "/v1/keysets/test")
    assert document["signingMethod"] == "certificate"
    certificates = document["certificates"]
    dc = dc_alipay(document)

    # The SNs: the SDK computes the same from the served files as Keyward serves.
    assert dc.app_cert_sn == certificates["appCertSN"]
    assert dc.alipay_root_cert_sn == certificates["alipayRootCertSN"]
    assert "_" not in certificates["alipayRootCertSN"], "the EC root does not count"
    assert DCAliPay.get_cert_sn(certificates["alipayCertificate"]["pem"]) == certificates["alipayCertSN"]

    # A request: the SDK's signature verifies under the app certificate's key, and Keyward's
    # sign of the same string is the same signature (RSA PKCS#1 v1.5 is deterministic).
    data = dc.build_body("alipay.fund.trans.uni.transfer", {"out_biz_no": "201806300001", "trans_amount": "1.00"})
    assert data["app_cert_sn"] == certificates["appCertSN"] and data["alipay_root_cert_sn"] == certificates["alipayRootCertSN"]
    unsigned = "&".join("{}={}".format(k, v) for k, v in dc._ordered_data(data))
    sdk_signature = dc._sign(unsigned)
    app_certificate = x509.load_pem_x509_certificate(certificates["appCertificate"]["pem"].encode())
    app_certificate.public_key().verify(b64decode(sdk_signature), unsigned.encode(), padding.PKCS1v15(), hashes.SHA256())
    signed = keyward.json("POST", "/v1/keysets/test/sign", {"text": unsigned})
    assert signed["signature"] == sdk_signature

    # A response signed with the Alipay certificate's key verifies in the SDK and in Keyward.
    response = '{"code":"10000","msg":"Success","out_biz_no":"201806300001"}'
    alipay_signature = rsa_sign(alipay_key, response)
    assert dc._verify(response, alipay_signature)
    verified = keyward.json("POST", "/v1/keysets/test/verify",
                            {"text": response, "signature": alipay_signature, "alipayCertSN": certificates["alipayCertSN"]})
    assert verified["valid"] and verified["alipayCertSN"] == certificates["alipayCertSN"]

    # Alipay renews its certificate: added beside the old one; both served by SN; the SDK
    # configured with the new one verifies responses signed with the new key.
    revision = document["revision"]
    renewed, renewed_key = ca.alipay(778)
    keyward.ctl("alipay-cert", "test", "--alipay-cert", renewed)
    after = keyward.json("GET", "/v1/keysets/test")
    assert after["revision"] > revision and after["version"] == document["version"]
    served = after["certificates"]
    new_sn = DCAliPay.get_cert_sn(open(renewed).read())
    assert served["alipayCertSN"] == new_sn and [c["sn"] for c in served["alipayCertificates"]] == [certificates["alipayCertSN"], new_sn]
    assert served["appCertSN"] == certificates["appCertSN"]
    renewed_response = '{"code":"10000","msg":"Success","out_biz_no":"201806300002"}'
    renewed_signature = rsa_sign(renewed_key, renewed_response)
    assert dc_alipay(after)._verify(renewed_response, renewed_signature)
    assert not dc._verify(renewed_response, renewed_signature), "the old certificate's key does not verify the new signature"
    for sn, text, signature in ((new_sn, renewed_response, renewed_signature), (certificates["alipayCertSN"], response, alipay_signature)):
        answer = keyward.json("POST", "/v1/keysets/test/verify", {"text": text, "signature": signature, "alipayCertSN": sn})
        assert answer["valid"] and answer["alipayCertSN"] == sn
    # Without an SN every certificate in use is tried; an unknown SN is an error that says what to do.
    assert keyward.json("POST", "/v1/keysets/test/verify", {"text": response, "signature": alipay_signature})["valid"]
    status, _, answer = keyward.request("POST", "/v1/keysets/test/verify",
                                        {"text": response, "signature": alipay_signature, "alipayCertSN": "0" * 32})
    assert status == 422 and answer["error"]["code"] == "certificate.unknown-sn"
