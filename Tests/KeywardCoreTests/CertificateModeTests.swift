import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Certificate mode in the state machine: a rotation that ends with the three certificates,
/// the checks at commit (each failure its own code, nothing changed), switching methods, and
/// an Alipay certificate renewal. Certificates come from `openssl` (TestCertificateAuthority),
/// valid from now for 30 days, so time is the real now here.
@Suite("certificate mode")
struct CertificateModeTests {
    /// A little ahead of the clock: the certificates are issued during the test, valid from
    /// the second they are made.
    var now: Date { Date() + 120 }
    /// Longer than the files' 30 days, so expiry is what a late commit meets.
    let policy = RotationPolicy(pendingLifetime: 60 * 86_400)

    static let authority = Result { try TestCertificateAuthority() }
    static let otherAuthority = Result { try TestCertificateAuthority(name: "Other Test") }

    private func apply(_ contents: VaultContents, _ command: RotationCommand, _ mode: Mode = .test, after seconds: TimeInterval = 0) throws
        -> VaultContents
    {
        try contents.applying(command, to: mode, at: now + seconds, policy: policy).contents
    }

    private func expectError(
        _ code: String, _ contents: VaultContents, _ command: RotationCommand, _ mode: Mode = .test, after seconds: TimeInterval = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try contents.applying(command, to: mode, at: now + seconds, policy: policy)
            Issue.record("expected \(code), but the command was accepted", sourceLocation: sourceLocation)
        } catch let error as any ReportableError {
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Both modes set up; test mode awaiting the platform side for merchant key `merchant`.
    private func awaiting(merchant: Int = 0) throws -> VaultContents {
        var contents = VaultContents()
        for mode in Mode.allCases { contents = try apply(contents, .setUp(TestKeys.account(mode)), mode) }
        return try apply(contents, .beginGenerate(key: TestKeys.key(merchant)))
    }

    /// The three files for `merchant`, issued by `authority`.
    static func certificates(
        merchant: RSAPrivateKey, authority: TestCertificateAuthority, alipaySerial: Int = 777, root: TestCertificateAuthority? = nil
    ) throws -> PlatformCertificates {
        let app = try authority.appCertificate(for: merchant)
        let alipay = try authority.alipayCertificate(serial: alipaySerial).file
        return try PlatformCertificates(
            app: try TestCertificateAuthority.certificates(app), alipay: [try TestCertificateAuthority.certificates(alipay)],
            root: try (root ?? authority).rootCertificates)
    }

    @Test("a rotation ends with the three certificates; commit makes a certificate-mode set with Alipay's SNs")
    func rotateIntoCertificateMode() throws {
        let authority = try Self.authority.get()
        let certificates = try Self.certificates(merchant: try TestKeys.key(0), authority: authority)
        #expect(certificates.app.intermediates.count == 1, "the issuing CA came with the leaf")
        #expect(certificates.root.count == 2 && !certificates.alipayRootCertSN.contains("_"), "the EC root does not count")
        var contents = try apply(try awaiting(), .providePlatform(.certificates(certificates)))
        #expect(contents.test.pending?.platform?.signingMethod == .certificate)
        let transition = try contents.applying(.commit, to: .test, at: now, policy: policy)
        contents = transition.contents
        let current = try #require(contents.test.current)
        #expect(current.signingMethod == .certificate && current.version == 1)
        #expect(current.certificates?.appCertSN == certificates.app.leaf.alipaySN)
        #expect(current.platformPublicKey.fingerprint == certificates.newestAlipay.leaf.rsaPublicKey?.fingerprint)
        #expect(transition.record.detail?.contains("alipay_root_cert_sn \(certificates.alipayRootCertSN)") == true)
    }

    @Test("switching a mode from public key to certificate mode is a rotation, and the commit says so")
    func switchingMethodsIsARotation() throws {
        let authority = try Self.authority.get()
        var contents = try apply(try awaiting(merchant: 0), .providePlatformKey(TestKeys.key(1).publicKey))
        contents = try apply(contents, .commit)
        #expect(contents.test.current?.signingMethod == .publicKey)
        contents = try apply(contents, .beginGenerate(key: TestKeys.key(2)))
        let certificates = try Self.certificates(merchant: try TestKeys.key(2), authority: authority, alipaySerial: 778)
        contents = try apply(contents, .providePlatform(.certificates(certificates)))
        let transition = try contents.applying(.commit, to: .test, at: now, policy: policy)
        #expect(transition.record.detail?.contains("signing method public-key -> certificate") == true)
        #expect(transition.contents.test.previous?.keySet.signingMethod == .publicKey)
        // A rollback goes back to public key mode, as one unit.
        let back = try apply(transition.contents, .rollback)
        #expect(back.test.current?.signingMethod == .publicKey && back.test.current?.version == 1)
    }

    @Test("the dashboard's one-click in certificate mode takes the private key and the three files, ready to commit")
    func oneClickWithCertificates() throws {
        let authority = try Self.authority.get()
        var contents = VaultContents()
        contents = try apply(contents, .setUp(TestKeys.account(.test)))
        let key = try TestKeys.key(3)
        let certificates = try Self.certificates(merchant: key, authority: authority, alipaySerial: 779)
        contents = try apply(contents, .beginDashboardOneClick(privateKey: key, platform: .certificates(certificates)))
        guard case .ready(let ready) = contents.test.pending else {
            Issue.record("not ready")
            return
        }
        #expect(ready.origin == .oneClick && ready.platform.signingMethod == .certificate)
        #expect(try apply(contents, .commit).test.current?.certificates?.alipayCertSN == certificates.alipayCertSN)
    }

    @Test("each bad certificate is refused with its own code, and nothing changes")
    func badCertificatesAreRefused() throws {
        let authority = try Self.authority.get()
        let other = try Self.otherAuthority.get()
        let contents = try awaiting(merchant: 0)
        let merchant = try TestKeys.key(0)
        func files(app: String, alipay: String, root: String) throws -> RotationCommand {
            .providePlatform(
                .certificates(
                    try PlatformCertificates(
                        app: try TestCertificateAuthority.certificates(app), alipay: [try TestCertificateAuthority.certificates(alipay)],
                        root: try TestCertificateAuthority.certificates(root))))
        }
        let alipay = try authority.alipayCertificate(serial: 780).file
        let app = try authority.appCertificate(for: merchant, serial: 4_242_000_001)
        // An app certificate over another key (say, the other mode's).
        expectError(
            "certificate.app-key-mismatch", contents,
            try files(
                app: try authority.appCertificate(for: try TestKeys.key(5), serial: 4_242_000_002), alipay: alipay, root: authority.rootFile
            ))
        // Expired (the files are valid for 30 days) and not yet valid.
        expectError("certificate.expired", contents, try files(app: app, alipay: alipay, root: authority.rootFile), after: 40 * 86_400)
        expectError("certificate.not-yet-valid", contents, try files(app: app, alipay: alipay, root: authority.rootFile), after: -86_400)
        // A chain that does not reach the root given.
        expectError("certificate.untrusted", contents, try files(app: app, alipay: alipay, root: other.rootFile))
        let foreignAlipay = try other.alipayCertificate(serial: 781).file
        expectError("certificate.untrusted", contents, try files(app: app, alipay: foreignAlipay, root: authority.rootFile))
        // A root file with no RSA certificate.
        let ecOnly = String(authority.rootFile.split(separator: "\n\n")[1])
        #expect(throws: CertificateError.self) { try files(app: app, alipay: alipay, root: ecOnly) }
        do {
            _ = try files(app: app, alipay: alipay, root: ecOnly)
        } catch let error as CertificateError {
            #expect(error.code == "certificate.root-no-rsa")
        }
        // The platform side is unchanged by every refusal above: still awaiting.
        #expect(contents.test.pending?.platform == nil)
        // The app certificate given as the Alipay one: the platform key would be the merchant's.
        expectError("credentials.platform-key-is-merchant-key", contents, try files(app: app, alipay: app, root: authority.rootFile))
    }

    @Test("the other mode's certificates are refused: its app certificate is over its key, its Alipay certificate's key is its own")
    func otherModesCertificates() throws {
        let authority = try Self.authority.get()
        var contents = try awaiting(merchant: 0)
        let live = try Self.certificates(merchant: try TestKeys.key(6), authority: authority, alipaySerial: 790)
        contents = try apply(contents, .beginGenerate(key: TestKeys.key(6)), .live)
        contents = try apply(try apply(contents, .providePlatform(.certificates(live)), .live), .commit, .live)
        // Live's app certificate given to test: over live's key, not test's new one.
        let liveApp = try PlatformCertificates(
            app: live.app.certificates,
            alipay: [try TestCertificateAuthority.certificates(try authority.alipayCertificate(serial: 791).file)],
            root: live.root)
        expectError("certificate.app-key-mismatch", contents, .providePlatform(.certificates(liveApp)))
        // Live's Alipay certificate given to test: its key is live's platform key.
        let testApp = try TestCertificateAuthority.certificates(
            try authority.appCertificate(for: try TestKeys.key(0), serial: 4_242_000_003))
        let liveAlipay = try PlatformCertificates(app: testApp, alipay: [live.newestAlipay.certificates], root: live.root)
        expectError("credentials.key-used-by-other-mode", contents, .providePlatform(.certificates(liveAlipay)))
    }

    @Test("a ready certificate-mode rotation whose certificate expired meanwhile is not committed")
    func commitChecksTheTime() throws {
        let authority = try Self.authority.get()
        let certificates = try Self.certificates(merchant: try TestKeys.key(0), authority: authority, alipaySerial: 782)
        let ready = try apply(try awaiting(), .providePlatform(.certificates(certificates)))
        // 31 days on: the files (30 days) have expired; the pending rotation (60 days) has not.
        expectError("certificate.expired", ready, .commit, after: 31 * 86_400)
        #expect(ready.test.current == nil)
    }

    @Test("an Alipay certificate renewal adds the new certificate beside the old one; the keys and the version stay")
    func alipayRenewal() throws {
        let authority = try Self.authority.get()
        let other = try Self.otherAuthority.get()
        let certificates = try Self.certificates(merchant: try TestKeys.key(0), authority: authority, alipaySerial: 783)
        let committed = try apply(try apply(try awaiting(), .providePlatform(.certificates(certificates))), .commit)
        let renewal = try TestCertificateAuthority.certificates(try authority.alipayCertificate(serial: 784).file)
        let transition = try committed.applying(.addAlipayCertificate(renewal), to: .test, at: now, policy: policy)
        #expect(transition.publishes && transition.command == "add-alipay-certificate")
        let renewed = try #require(transition.contents.test.current)
        #expect(renewed.version == 1 && transition.contents.test.revision == committed.test.revision + 1)
        #expect(renewed.merchantPublicKey.fingerprint == committed.test.current?.merchantPublicKey.fingerprint)
        let served = try #require(renewed.certificates)
        #expect(served.alipay.count == 2 && served.alipayCertSN == renewal[0].alipaySN)
        #expect(served.alipayCertificate(sn: certificates.alipayCertSN) != nil, "the old one stays, found by its SN")
        #expect(renewed.platformPublicKey.fingerprint == renewal[0].rsaPublicKey?.fingerprint)
        // Refusals: the same certificate again, one that does not chain to the stored root,
        // and a renewal of a mode in public key mode.
        expectError("certificate.already-present", transition.contents, .addAlipayCertificate(renewal))
        let foreign = try TestCertificateAuthority.certificates(try other.alipayCertificate(serial: 785).file)
        expectError("certificate.untrusted", transition.contents, .addAlipayCertificate(foreign))
        let publicKeyMode = try apply(try apply(try awaiting(), .providePlatformKey(TestKeys.key(1).publicKey)), .commit)
        expectError("certificate.not-certificate-mode", publicKeyMode, .addAlipayCertificate(renewal))
    }

    @Test("a certificate-mode set and a ready certificate-mode rotation survive the vault on disk")
    func vaultRoundTrip() async throws {
        let authority = try Self.authority.get()
        let fixture = try VaultFixture()
        let test = try Self.certificates(merchant: try TestKeys.key(0), authority: authority, alipaySerial: 786)
        let live = try Self.certificates(merchant: try TestKeys.key(4), authority: authority, alipaySerial: 787)
        fixture.clock.advance(by: 120)  // the fixture's clock started before the files were issued
        do {
            let vault = try await fixture.open()
            for mode in Mode.allCases { _ = try await vault.apply(.setUp(try TestKeys.account(mode)), to: mode, by: .currentProcess) }
            _ = try await vault.apply(.beginGenerate(key: try TestKeys.key(0)), to: .test, by: .currentProcess)
            _ = try await vault.apply(.providePlatform(.certificates(test)), to: .test, by: .currentProcess)
            _ = try await vault.apply(.commit, to: .test, by: .currentProcess)
            _ = try await vault.apply(.beginGenerate(key: try TestKeys.key(4)), to: .live, by: .currentProcess)
            _ = try await vault.apply(.providePlatform(.certificates(live)), to: .live, by: .currentProcess)
        }
        let vault = try await fixture.reopen()
        let contents = await vault.contents
        let current = try #require(contents.test.current?.certificates)
        #expect(current.appCertSN == test.appCertSN && current.alipayCertSN == test.alipayCertSN)
        #expect(current.alipayRootCertSN == test.alipayRootCertSN && current.root.count == 2)
        #expect(current.app.intermediates.count == 1 && current.rootPEM == test.rootPEM)
        #expect(contents.live.pending?.platform?.certificates?.alipayCertSN == live.alipayCertSN)
        #expect(try await vault.checkAudit().valid)
    }
}
