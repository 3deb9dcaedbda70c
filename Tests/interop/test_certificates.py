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
