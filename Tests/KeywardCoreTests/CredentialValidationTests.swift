import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

@Suite("credential validation (the seven fields of the seed)")
struct CredentialValidationTests {
    @Test("a PID is 16 digits starting with 2088", arguments: ["2088101122136241", " 2088000000000000\n"])
    func validPID(text: String) throws {
        #expect(try PID(text).value.count == 16)
    }

    @Test(
        "malformed PIDs are refused",
        arguments: ["", "2088", "20881011221362411", "1088101122136241", "2088a01122136241", "２０８８101122136241", "2088 101122136241"])
    func invalidPID(text: String) {
        #expect(throws: CredentialError.code(.pidInvalid)) { try PID(text) }
    }

    @Test("an App ID is 16 digits", arguments: ["2021001100600000", "9021000122684000"])
    func validAppID(text: String) throws {
        #expect(try AppID(text).value == text)
    }

    @Test("malformed App IDs are refused", arguments: ["", "202100110060000", "20210011006000001", "2021OO1100600000"])
    func invalidAppID(text: String) {
        #expect(throws: CredentialError.code(.appIdInvalid)) { try AppID(text) }
    }

    @Test("the App ID may not be the PID")
    func appIDEqualsPID() throws {
        #expect(throws: CredentialError.code(.appIdEqualsPid)) {
            try MerchantAccount(pid: PID("2088101122136241"), appID: AppID("2088101122136241"))
        }
    }

    @Test("well-formed emails are accepted", arguments: ["finance@example.com", "a.b+c@shop.example.cn"])
    func validEmail(text: String) throws {
        #expect(try AccountEmail(text).value == text)
    }

    @Test(
        "malformed emails are refused",
        arguments: ["", "finance", "@example.com", "a@b", "a@@b.com", "a b@example.com", "a@.com", "a@example."])
    func invalidEmail(text: String) {
        #expect(throws: CredentialError.code(.emailInvalid)) { try AccountEmail(text) }
    }

    @Test("an API key is exactly 32 letters and digits, and never prints")
    func apiKey() throws {
        let key = try APIKey("abcdefghijklmnopqrstuvwxyz012345")
        #expect("\(key)" == "<redacted>")
        for bad in ["", "abc", "abcdefghijklmnopqrstuvwxyz0123456", "abcdefghijklmnopqrstuvwxyz01234!"] {
            #expect(throws: CredentialError.code(.apiKeyInvalid)) { try APIKey(bad) }
        }
    }

    @Test("an account may leave the optional email and API key out")
    func minimalAccount() throws {
        let account = try MerchantAccount(pid: PID("2088101122136241"), appID: AppID("2021001100600000"))
        #expect(account.accountEmail == nil && account.apiKey == nil)
    }

    @Test(
        "a malformed PID, App ID or API key is refused with what is wrong, by position, never the value",
        arguments: [
            (
                "pid", "20881011221362AB",
                "the PID must be 16 digits starting with 2088; the one given has 2 characters that are not digits (positions 15, 16)"
            ),
            ("pid", "208810112213624", "the PID must be 16 digits starting with 2088; the one given has 15 digits, not 16"),
            (
                "app", "2021OO1100600000",
                "the App ID must be 16 digits; the one given has 2 characters that are not digits (positions 5, 6)"
            ),
            (
                "key", "abcdefghijklmnop-rstuvwxyz012345",
                "the API key must be exactly 32 letters and digits; it has a character other than a letter or digit (position 17)"
            ),
            ("key", "abc", "the API key must be exactly 32 letters and digits; it has 3 characters, not 32"),
        ])
    func preciseMessages(field: String, text: String, expected: String) {
        do {
            switch field {
            case "pid": _ = try PID(text)
            case "app": _ = try AppID(text)
            default: _ = try APIKey(text)
            }
            Issue.record("\(text) was accepted")
        } catch let error as CredentialError {
            #expect(error.message == expected)
            if field == "key" { #expect(!error.message.contains(text)) }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
