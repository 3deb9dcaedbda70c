/// What is wrong with text that must be a fixed number of ASCII digits, said precisely
/// ("has 15 characters, not 16", "has a character that is not a digit at position 15").
enum DigitsShape {
    /// nil when `text` is `count` ASCII digits.
    static func problem(_ text: String, count: Int) -> String? {
        let bytes = Array(text.utf8)
        if bytes.contains(where: { !$0.isASCIIDigit }) {
            let positions = bytes.indices.filter { !bytes[$0].isASCIIDigit }.map { String($0 + 1) }
            let shown = positions.prefix(4).joined(separator: ", ") + (positions.count > 4 ? ", …" : "")
            return positions.count == 1
                ? "has a character that is not a digit (position \(shown))"
                : "has \(positions.count) characters that are not digits (positions \(shown))"
        }
        guard bytes.count == count else { return "has \(bytes.count) digits, not \(count)" }
        return nil
    }
}
