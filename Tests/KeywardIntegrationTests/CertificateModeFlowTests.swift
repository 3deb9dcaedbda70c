import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Certificate mode through keywardctl and the real keywardd: a CSR made inside Keyward, the
/// three files (one of them DER), commit, status, the expiry gauge, a renewal, and bad files
/// that change nothing.
@Suite("certificate mode end to end")
struct CertificateModeFlowTests {
    @Test("rotate --generate, csr, platform-key with the three files, commit: served in certificate mode, and bad files are refused")
    func certificateModeFlow() throws {
        let daemon = try DaemonHarness()
        let authority = try TestCertificateAuthority()
        let other = try TestCertificateAuthority(name: "Other Test")
        func ctl(_ arguments: [String]) throws -> ProcessResult {
            let result = try daemon.keywardctl(arguments)
            #expect(result.status == 0, "keywardctl \(arguments.joined(separator: " ")): \(result.standardError)")
            return result
        }
        func refused(_ arguments: [String], _ code: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try daemon.keywardctl(arguments)
            #expect(result.status == 2, sourceLocation: sourceLocation)
            #expect(result.standardError.contains("keywardctl: \(code): "), "\(result.standardError)", sourceLocation: sourceLocation)
        }
        _ = try ctl(["setup", "test", "--pid", "2088101122136241", "--app-id", "2021001100600000"])
        _ = try ctl(["rotate", "test", "--generate"])
        _ = try ctl(["csr", "test", "--common-name", "Keyward Test App", "--organization", "Keyward Test", "--out", "test.csr"])
        let csr = String(decoding: try daemon.directory.read("test.csr"), as: UTF8.self)
        #expect(csr.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
        let app = try authority.certificate(forCSR: csr, serial: 4_242_424_242)
        try daemon.directory.write("app.der", try TestCertificateAuthority.der(app))  // DER is read too
        let (alipay, _) = try authority.alipayCertificate(serial: 777)
        try daemon.directory.write("alipay.crt", alipay)
        try daemon.directory.write("root.crt", authority.rootFile)
        try daemon.directory.write("other-root.crt", other.rootFile)
        try daemon.directory.write(
            "key.pem", try TestKeys.key(120).exported(as: PrivateKeyFormat(.pkcs8, .pem)).withUnsafeBytes { Array($0) })

        // Bad files: each refused with its code; the rotation still awaits its platform side.
        try refused(["platform-key", "test", "--platform-key", "alipay.crt"], "key.certificate")
        try refused(
            ["platform-key", "test", "--app-cert", "key.pem", "--alipay-cert", "alipay.crt", "--root-cert", "root.crt"],
            "certificate.unreadable")
        try refused(
            ["platform-key", "test", "--app-cert", "test.csr", "--alipay-cert", "alipay.crt", "--root-cert", "root.crt"],
            "certificate.unreadable")
        try refused(
            ["platform-key", "test", "--app-cert", "app.der", "--alipay-cert", "alipay.crt", "--root-cert", "other-root.crt"],
            "certificate.untrusted")
        try refused(
            ["platform-key", "test", "--app-cert", "alipay.crt", "--alipay-cert", "alipay.crt", "--root-cert", "root.crt"],
            "certificate.app-key-mismatch")
        #expect(try daemon.call(Endpoints.status).modes[.test]?.pending?.state == .awaitingPlatformKey)

        _ = try ctl(["platform-key", "test", "--app-cert", "app.der", "--alipay-cert", "alipay.crt", "--root-cert", "root.crt"])
        _ = try ctl(["commit", "test"])
        _ = try ctl(["activate", "test"])
        let document = try daemon.call(Endpoints.keySet, .test)
        let certificates = try #require(document.certificates)
        #expect(document.signingMethod == .certificate)
        #expect(certificates.appCertSN == (try TestCertificateAuthority.certificates(app))[0].alipaySN)
        #expect(certificates.alipayRootCertSN == (try X509Certificate.alipayRootSN(try authority.rootCertificates)))
        #expect(certificates.alipayRootCertificate.pem.contains("-----END CERTIFICATE-----\n\n-----BEGIN CERTIFICATE-----"))
        let status = try ctl(["status"]).output
        #expect(status.contains("certificate mode:") && status.contains("app SN \(certificates.appCertSN)"), "\(status)")
        // The files are valid for 30 days: within the 30-day warning, so due soon.
        #expect(status.contains("[due-soon] test v1's app certificate"), "\(status)")
        let metrics = String(decoding: try daemon.request("GET", "/metrics").body, as: UTF8.self)
        #expect(
            metrics.contains(
                "keyward_certificate_expiry_timestamp_seconds{mode=\"test\",certificate=\"app\",sn=\"\(certificates.appCertSN)\"} \(Int(certificates.appCertificate.notAfter.timeIntervalSince1970))"
            ), "\(metrics)")

        // A renewal of Alipay's certificate (DER, without its issuing CA: the stored one chains it).
        let (renewed, _) = try authority.alipayCertificate(serial: 778)
        try daemon.directory.write("renewed.der", try TestCertificateAuthority.der(renewed))
        _ = try ctl(["alipay-cert", "test", "--alipay-cert", "renewed.der"])
        try refused(["alipay-cert", "test", "--alipay-cert", "renewed.der"], "certificate.already-present")
        let after = try daemon.call(Endpoints.keySet, .test)
        #expect(after.version == document.version && after.revision > document.revision)
        #expect(after.certificates?.alipayCertificates.count == 2 && after.certificates?.appCertSN == certificates.appCertSN)
        let audit = try ctl(["audit"]).output
        #expect(audit.contains("add-alipay-certificate test ok"), "\(audit)")
        #expect(try daemon.call(Endpoints.verifyAudit).valid)
    }
}
