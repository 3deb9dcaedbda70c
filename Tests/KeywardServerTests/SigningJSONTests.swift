import Foundation
import KeywardAPI
import NIOCore
import Testing

@testable import KeywardServer

/// The signing path reads and writes its JSON without Foundation; these hold it to exactly
/// what Foundation's coders (in the API's one configuration) do with the same bytes.
@Suite("signing JSON without Foundation")
struct SigningJSONTests {
    @Test(
        "a sign answer is byte for byte what the API's encoder writes",
        arguments: [
            SignAnswer(algorithm: "RSA2", keyVersion: "3", signature: "ab/c+d==", signatureHeader: nil, merchantKeyFingerprint: "00ff"),
            SignAnswer(
                algorithm: "RSA2", keyVersion: "12", signature: "x/y", signatureHeader: "algorithm=RSA256,keyVersion=1,signature=x%2Fy",
                clientId: "SANDBOX_5Y\"q\\\u{1}\n\t\u{7F}é中/", merchantKeyFingerprint: "aa"),
        ])
    func answerMatchesEncoder(_ answer: SignAnswer) throws {
        let ours = Array(answer.json.readableBytesView)
        let foundation = Array(try APIJSON.encoder().encode(answer))
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: foundation, as: UTF8.self))
    }

    @Test(
        "a sign or verify body reads as Foundation's decoder reads it, errors included",
        arguments: [
            #"{"text":"a"}"#, #"{"data":"aGk=","text":null}"#, #" {"text" : "\u00e9\ud83d\ude00\n\/"} "#,
            #"{"alipayPlus":{"method":"POST","path":"/p","time":"t","body":"{}","clientId":null}}"#,
            #"{"alipayPlus":{"method":"POST","path":"/p","time":"t"}}"#, #"{"alipayPlus":{"method":1,"path":"/p","time":"t","body":""}}"#,
            #"{"alipayPlus":{"method":null,"path":"/p","time":"t","body":""}}"#, #"{"alipayPlus":"x"}"#, #"{"text":5}"#,
            #"{"text":01}"#, #"{"text":-1.5e+3}"#, #"{"text":"a","text":"b"}"#, "[]", "\"x\"", "{", "{}", "{\"text\":\"\u{1}\"}",
            #"{"text":"\ud800"}"#, #"{"text":"a"} x"#, #"{"text":tru}"#, #"{"x":[1,{"y":[]}],"text":"z"}"#, "\u{FEFF}{\"text\":\"a\"}",
            #"{"text":"\x"}"#, #"{"signature":"s","algorithm":"RSA","alipayCertSN":"9"}"#, String(repeating: "[", count: 40),
        ])
    func bodiesAgree(_ body: String) {
        #expect(SigningJSONAgreement.disagreement(Array(body.utf8)) == nil, "\(body)")
    }

    @Test("invalid UTF-8 in a string is refused by both")
    func invalidUTF8() {
        let body: [UInt8] = Array(#"{"text":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        #expect(SigningJSONAgreement.disagreement(body) == nil)
        #expect(throws: APIError.self) { try SigningRequest.scanned(from: RequestBody(body)) }
    }
}
