import KeywardServer
import Testing

@Suite("the Alipay+ signature header")
struct AlipayPlusSignatureTests {
    @Test("the content to sign follows METHOD URI\\nCLIENT-ID.TIME.BODY")
    func content() {
        let content = AlipayPlusSignature.content(
            method: "post", path: "/aps/api/v1/payments/pay", clientID: "SANDBOX_5X00000000000000", time: "2019-05-28T12:12:12+08:00",
            body: "{\"a\":1}")
        #expect(content == "POST /aps/api/v1/payments/pay\nSANDBOX_5X00000000000000.2019-05-28T12:12:12+08:00.{\"a\":1}")
    }

    @Test("the header carries the URL-encoded signature and the key version, and reads back")
    func header() {
        let header = AlipayPlusSignature.headerValue(signatureBase64: "ab+c/d==", keyVersion: "7")
        #expect(header == "algorithm=RSA256,keyVersion=7,signature=ab%2Bc%2Fd%3D%3D")
        let withoutVersion = AlipayPlusSignature.headerValue(signatureBase64: "ab+c/d==", keyVersion: nil)
        #expect(withoutVersion == "algorithm=RSA256,signature=ab%2Bc%2Fd%3D%3D")
        #expect(AlipayPlusSignature.signature(fromHeader: withoutVersion) == "ab+c/d==")
        #expect(AlipayPlusSignature.signature(fromHeader: header) == "ab+c/d==")
        #expect(AlipayPlusSignature.signature(fromHeader: "ab+c/d==") == "ab+c/d==")
    }
}
