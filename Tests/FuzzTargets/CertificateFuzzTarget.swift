import Foundation
import KeywardCore
import KeywardCrypto

/// Certificate files as certificate mode reads them: every certificate of the bytes (PEM or
/// DER), the fields Keyward reads of each (names, serial, Alipay SN, validity, key), the root
/// SN, the three files as one unit, and a chain check against the fixture's root.
///
/// Invariant: every refusal is a `CryptoError` or `CertificateError` with a code under
/// `certificate.`, never a trap or an error of another kind.
enum CertificateFuzzTarget {
    struct Fixture: Sendable {
        let root: [UInt8]
        let app: [UInt8]
    }

    // A fixed test chain made once with openssl (valid ten years from 2026-12-01): an RSA
    // root and an EC root in the root file, an issuing CA, and a leaf that carries the CA
    // after it. Fixed text, so the fuzzer starts without running a process.
    static let rootFile = """
        -----BEGIN CERTIFICATE-----
        MIIDWzCCAkOgAwIBAgIUH724wCURZd7tQCYK7lPATsZbQR0wDQYJKoZIhvcNAQEL
        BQAwPTELMAkGA1UEBhMCQ04xDTALBgNVBAoMBEZ1enoxCzAJBgNVBAsMAkNBMRIw
        EAYDVQQDDAlGdXp6IFJvb3QwHhcNMjYxMjAxMTI0OTAwWhcNMzYxMTI4MTI0OTAw
        WjA9MQswCQYDVQQGEwJDTjENMAsGA1UECgwERnV6ejELMAkGA1UECwwCQ0ExEjAQ
        BgNVBAMMCUZ1enogUm9vdDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEB
        AKZfQOdnF3raxTNvNleG5YFfD47UNVuozxKtfv5MKxTOhbn1LCCK0fDb91kItMq4
        3igX9k4iBsPD0LHT+Iz0Ep4yTCxaP04pxYUr2K0NWr8KHEMHgeaZ/Epgf4cuaSlb
        cDfalCjpoEos+4F3pR2z4DcQ3NJqkHglsfFOJChSdkvgJtSSWJ6KLXdUcAiA9Swt
        CENHOZ5zJJqjX3arV1x4lgLm8AjV0UUsUlEDymvdlvz580lby+XjObSeoNUJ6+8g
        m6uL+A115VqVudJNhgrajJGoMyvNDkr51Urn115p7ciY6izXDUOQxbdaLWDKH6FY
        jzyA7da6ertem3bJyBbPnq0CAwEAAaNTMFEwHQYDVR0OBBYEFLGp0Yw9PFXf6Xhb
        p5arUvifgR6HMB8GA1UdIwQYMBaAFLGp0Yw9PFXf6Xhbp5arUvifgR6HMA8GA1Ud
        EwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEBAFMc7ad4dsv/lUsa8U1Df1sU
        L0rFk9OzpDmwN8OtRcxaBUQBpRn/sHAgqEZ5eg1px/vmfpurQ91tE7ds/8x8auEm
        kcZqCst8HlqyfWoBZhGvUxzWgwpbAPnG9ulIc/b5lq1xYZtlfqMSXu7aWRR9Fta5
        V4sDpHyJmG26Aqv+E9T7dRWrflx29AGMslF7bcAGGGAcEI+K19SyIG8htDnphC43
        k6w67Tp0w1HuLL7icyeQ3wN5Jpvi/ScO37tHUAHxd2jT62otUSZ+9MeI6wmqFRqc
        9LFeDLHHqfsl8LUGmzA7nXhxBpj1B1/Khe7pxFN4VUKBoTPm4cwjpBqrfxYv3Io=
        -----END CERTIFICATE-----

        -----BEGIN CERTIFICATE-----
        MIIB1jCCAXugAwIBAgIUOP4DV7n+s7XkyAFxQ0rxZ5tz/9MwCgYIKoZIzj0EAwIw
        QDELMAkGA1UEBhMCQ04xDTALBgNVBAoMBEZ1enoxCzAJBgNVBAsMAkVDMRUwEwYD
        VQQDDAxGdXp6IEVDIFJvb3QwHhcNMjYxMjAxMTI0OTAwWhcNMzYxMTI4MTI0OTAw
        WjBAMQswCQYDVQQGEwJDTjENMAsGA1UECgwERnV6ejELMAkGA1UECwwCRUMxFTAT
        BgNVBAMMDEZ1enogRUMgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABO0U
        68y2Du8SB2RNs2cNngwKeVxXYaZSTj+jCUsarshkUAjbnYfv7qBWKYUBAudIE3Fl
        ywhz7lE4YNglnDfGtXajUzBRMB0GA1UdDgQWBBSrIJvZZldDxfvC9eX9GOvsdNYI
        zTAfBgNVHSMEGDAWgBSrIJvZZldDxfvC9eX9GOvsdNYIzTAPBgNVHRMBAf8EBTAD
        AQH/MAoGCCqGSM49BAMCA0kAMEYCIQDqx6a5230y7SlHtZ67crtfP3MjbuEVNF/H
        tpR19NpBWQIhALtKSIA41Fl3dZ46rPDNF3hnaJOR6/AjTrcvis0ebX7e
        -----END CERTIFICATE-----
        """

    static let appFile = """
        -----BEGIN CERTIFICATE-----
        MIIC5zCCAc8CAhCSMA0GCSqGSIb3DQEBCwUAMEMxCzAJBgNVBAYTAkNOMQ0wCwYD
        VQQKDARGdXp6MQswCQYDVQQLDAJDQTEYMBYGA1UEAwwPRnV6eiBDbGFzcyAyIFIx
        MB4XDTI2MTIwMTEyNDkwMFoXDTM2MTEyODEyNDkwMFowLzELMAkGA1UEBhMCQ04x
        DTALBgNVBAoMBEZ1enoxETAPBgNVBAMMCEZ1enogQXBwMIIBIjANBgkqhkiG9w0B
        AQEFAAOCAQ8AMIIBCgKCAQEArh8y3KyRtPY0s/JJAUg8LL8RhqhMHMDbPOwoQOrA
        YUpAbn7KbiXJE4QkdEFZvBZSJKFNMlE5qNwGXY3f+yprUNJTLqnOvO2p2OpVxmpn
        udU5V8WAofBHlDb2fEPBaHs9+of6OAHhVf6ScHe2SFgIaNWivEDlk3oOOD8LCO57
        XOZxqZjEDpxFGF4yDX3S8CZchaw6NeU6CWBHRnoS8bSXWwT+5eTawI1cdsOLalth
        SjaORuEthfDS71gPyRN7ET9BrYVbZAGmiegpLxPqHU7aIb89FkYmIMba9SHwd1Lt
        6GvXQkRTlapetf9PJDSLaftdbmliM3mZwoOBHbVcghOZcQIDAQABMA0GCSqGSIb3
        DQEBCwUAA4IBAQBK/+/e4yYqdU9aW0ieSGChIPMTdVftArT3HIT3a4U7CxyFKkXL
        wJ9GL+wH6tvUD2oar0GtiJO2s5T+f9E+0uA1Y7Ielo2tQf1rkilXKIdQTwslMdvW
        60BYBthNfvl2nbWJAh+pRr+dfeYIfzbTdCz5fN5nJBseEBP4vNgR/xJYkOsib6IG
        qIudwXz2bRdnGXNbVMupBJZCN9gmBzaOhcoGcInY7NeN2U5lwFAd8z0iww4jeGkB
        Di+o1uwIrPA+eItI8uMCZB/7B7eHPDBLBZvNvFNBV66c/3hQc0+b3CEMqfb5C6Mf
        6GnJVon5H4TU8SX3j35lfgtnhUX4Ewn1SMV/
        -----END CERTIFICATE-----
        -----BEGIN CERTIFICATE-----
        MIIDXzCCAkegAwIBAgICA+kwDQYJKoZIhvcNAQELBQAwPTELMAkGA1UEBhMCQ04x
        DTALBgNVBAoMBEZ1enoxCzAJBgNVBAsMAkNBMRIwEAYDVQQDDAlGdXp6IFJvb3Qw
        HhcNMjYxMjAxMTI0OTAwWhcNMzYxMTI4MTI0OTAwWjBDMQswCQYDVQQGEwJDTjEN
        MAsGA1UECgwERnV6ejELMAkGA1UECwwCQ0ExGDAWBgNVBAMMD0Z1enogQ2xhc3Mg
        MiBSMTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAK97UA2fy+asvzac
        84NqfbSD3rhvciGEY3xxLa5opUq3F3oG8xbrMsd/KpdQjRqXx7DVVrBU5FQaUSUm
        NGoAufnSTkQDqt1hk6b76xrfPqG3YwNxkFeI3CxkpJ5W/Z4/8IjtBXruQYUp46+4
        h+dmR7/tMVLzncHKbPbqZePYKkwvH4NB6Gn/djx7650+Ka2OWml/88UVY0SUsWb9
        jbnZBnF9J7C3yWjCMlnTmyiGJR9oFippdqAsmDDBz1GQNPIfqSZyZRitPHfF8+d1
        JhYOMUorBPneklqOtoZXn/RtyD7Aw/8NSwWPtSJcNe8RGsVCe5p23dk8fpjoJkuq
        VveDf+ECAwEAAaNjMGEwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYw
        HQYDVR0OBBYEFJcvRrLNIJJYGgkZD8sRnnyzFlwnMB8GA1UdIwQYMBaAFLGp0Yw9
        PFXf6Xhbp5arUvifgR6HMA0GCSqGSIb3DQEBCwUAA4IBAQATz/eqPQNshA1eGd/l
        DaV6I94ppWOJFiIAsvN+m3h58vjo12O2jiG2TEEIkC4aDoB7AE12SM6QbOHZN2xx
        d7FgVTrYJLztU5dFNvvUXBHKS0z1NQWtnUj1+cMBNltXfCmum4kTQj6u613CGBeR
        n+W+WiGirOirBPaJ4RIMkEwsj5t2TUq9DMvbxJpoP22t4B95WKaek27mAw4GhANH
        16do0njU207R5ftPFaFR9gnkjn+LHpsM+sgBdPxYlw//eM+eGA0e2coXrXq+r7bi
        1gOFbdDpJspXySOG+6HYkyWQVotVxLXgT88fKR3URvjx8R1XBAF0nrkZmxV5Zykm
        a+0O
        -----END CERTIFICATE-----
        """

    static func fixture() throws -> Fixture {
        Fixture(root: Array(rootFile.utf8), app: Array(appFile.utf8))
    }

    static func run(_ input: [UInt8]) -> [String] {
        guard let fixture = try? fixture() else { return [] }
        do {
            let certificates = try X509Certificate.all(in: input)
            for certificate in certificates {
                _ = (certificate.subject, certificate.issuer, certificate.serialDecimal, certificate.alipaySN)
                _ = (certificate.notBefore, certificate.notAfter, certificate.signatureAlgorithm, certificate.rsaPublicKey, certificate.der)
            }
            _ = try? X509Certificate.alipayRootSN(certificates)
            let root = try X509Certificate.all(in: fixture.root)
            let files = try PlatformCertificates(app: certificates, alipay: [certificates], root: root)
            _ = (files.appCertSN, files.alipayCertSN, files.alipayRootCertSN, files.rootPEM, files.app.pem)
            _ = CertificateChainCheck.check(files.app.leaf, intermediates: files.app.intermediates, anchors: root, at: .now)
        } catch let error as CryptoError {
            if !error.code.hasPrefix("certificate.") { return ["a crypto error outside certificate.*: \(error.code)"] }
        } catch let error as CertificateError {
            if !error.code.hasPrefix("certificate.") { return ["a certificate error outside certificate.*: \(error.code)"] }
        } catch {
            return ["an error of another kind: \(type(of: error))"]
        }
        return []
    }

    static func seeds() throws -> [[UInt8]] {
        let fixture = try fixture()
        let der = try X509Certificate.all(in: fixture.app)[0].der
        return [fixture.app, fixture.root, der]
    }
}
