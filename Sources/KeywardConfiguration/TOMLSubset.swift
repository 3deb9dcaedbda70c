/// The TOML that keywardd.toml uses, read strictly, with the line of every key kept so that
/// errors can name it: `[table]` and `[table.sub]` headers, `key = value` with basic or literal
/// strings, integers, booleans and arrays of strings (on one line or over several, with
/// comments and a trailing comma), and `#` comments.
///
/// TOML this file never needs (floats, dates, inline tables, arrays of tables, dotted keys,
/// multi-line strings) is refused with the line and a hint, never half-read. Why a hand-written
/// reader and not a TOML library: docs/architecture.md, "Configuration".
public struct TOMLSubset: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case strings([String])

        var typeName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .boolean: "a boolean"
            case .strings: "an array of strings"
            }
        }
    }

    /// A value with where it was written (the line of its key).
    public struct Entry: Sendable, Equatable {
        public let value: Value
        public let line: Int
    }

    /// Tables by dotted name ("" for keys before any header), then keys.
    public private(set) var tables: [String: [String: Entry]] = [:]
    /// The line of each table header.
    public private(set) var tableLines: [String: Int] = [:]

    public init(parsing text: String, source: String) throws {
        var table = ""
        tables[""] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.map { $0 == "\t" ? " " : $0 }.filter { $0 != "\r" })
        }
        var index = 0
        while index < lines.count {
            let number = index + 1
            let line = Self.stripComment(lines[index]).trimmed
            index += 1
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                table = try Self.tableName(line, source: source, line: number)
                guard tableLines[table] == nil else {
                    throw ConfigurationError.at(source, number, "[\(table)] is defined twice (first on line \(tableLines[table]!))")
                }
                tableLines[table] = number
                tables[table] = [:]
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError.at(source, number, "expected key = value")
            }
            let key = line[..<equals].trimmed
            if key.contains(".") {
                throw ConfigurationError.at(
                    source, number,
                    "'\(key)' is a dotted key; write the table as a header, [table], with '\(key.split(separator: ".").last ?? "")' under it"
                )
            }
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ConfigurationError.at(source, number, "'\(key)' is not a valid key")
            }
            if let existing = tables[table]?[key] {
                throw ConfigurationError.at(source, number, "'\(key)' is set twice (first on line \(existing.line))")
            }
            var valueText = line[line.index(after: equals)...].trimmed
            // An array may go on over the next lines, up to its closing bracket.
            if valueText.hasPrefix("[") && !Self.closesArray(valueText) {
                while true {
                    guard index < lines.count else {
                        throw ConfigurationError.at(source, number, "the array of '\(key)' is not closed with ']'")
                    }
                    let next = Self.stripComment(lines[index]).trimmed
                    index += 1
                    if next.contains("=") && !next.hasPrefix("\"") && !next.hasPrefix("'") {
                        throw ConfigurationError.at(source, number, "the array of '\(key)' is not closed with ']' before line \(index)")
                    }
                    valueText += " " + next
                    if Self.closesArray(valueText) { break }
                }
            }
            let value = try Self.parseValue(valueText, source: source, line: number)
            tables[table, default: [:]][key] = Entry(value: value, line: number)
        }
    }

    private static func tableName(_ line: String, source: String, line number: Int) throws -> String {
        if line.hasPrefix("[[") {
            throw ConfigurationError.at(source, number, "arrays of tables ([[…]]) are not used in keywardd.toml; write a [table] header")
        }
        guard line.hasSuffix("]") else { throw ConfigurationError.at(source, number, "a table header must be [name]") }
        let name = String(line.dropFirst().dropLast()).trimmed
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }) else {
            throw ConfigurationError.at(source, number, "'\(name)' is not a valid table name")
        }
        return name
    }

    /// Whether `text`, which starts with '[', holds its matching ']' (outside strings).
    private static func closesArray(_ text: String) -> Bool {
        var quote: Character?
        var escaped = false
        var depth = 0
        for character in text {
            if escaped {
                escaped = false
                continue
            }
            if let open = quote {
                if character == "\\" && open == "\"" { escaped = true } else if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "[": depth += 1
            case "]":
                depth -= 1
                if depth == 0 { return true }
            default: break
            }
        }
        return false
    }

    private static func stripComment(_ line: String) -> String {
        var inBasic = false
        var inLiteral = false
        var escaped = false
        for (offset, character) in line.enumerated() {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\" where inBasic: escaped = true
            case "\"" where !inLiteral: inBasic.toggle()
            case "'" where !inBasic: inLiteral.toggle()
            case "#" where !inBasic && !inLiteral: return String(line.prefix(offset))
            default: break
            }
        }
        return line
    }

    private static func parseValue(_ text: String, source: String, line: Int) throws -> Value {
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if text.hasPrefix("\"\"\"") || text.hasPrefix("'''") {
            throw ConfigurationError.at(source, line, "multi-line strings are not used in keywardd.toml; write the value on one line")
        }
        if text.hasPrefix("\"") || text.hasPrefix("'") {
            var rest = Substring(text)
            let string = try parseString(&rest, source: source, line: line)
            guard rest.trimmed.isEmpty else { throw ConfigurationError.at(source, line, "unexpected text after the string") }
            return .string(string)
        }
        if text.hasPrefix("{") {
            throw ConfigurationError.at(
                source, line, "inline tables ({ … }) are not used in keywardd.toml; no key takes one: write its keys under a [table] header"
            )
        }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw ConfigurationError.at(source, line, "unexpected text after the array's ']'") }
            var rest = Substring(text.dropFirst().dropLast())
            var items: [String] = []
            while true {
                rest = Substring(rest.trimmed)
                if rest.isEmpty { break }
                guard rest.hasPrefix("\"") || rest.hasPrefix("'") else {
                    throw ConfigurationError.at(source, line, "arrays here hold strings only, such as [\"user:payments\"]")
                }
                items.append(try parseString(&rest, source: source, line: line))
                rest = Substring(rest.trimmed)
                if rest.hasPrefix(",") {
                    rest = rest.dropFirst()
                } else if !rest.isEmpty {
                    throw ConfigurationError.at(source, line, "expected ',' between array items")
                }
            }
            return .strings(items)
        }
        let digits = String(text.filter { $0 != "_" })
        if let integer = Int(digits) { return .integer(integer) }
        if Double(digits) != nil {
            throw ConfigurationError.at(source, line, "'\(text.prefix(40))' is a fraction; every number in keywardd.toml is a whole number")
        }
        throw ConfigurationError.at(
            source, line, "'\(text.prefix(40))' is not a string, integer, boolean or array of strings (strings need quotes)")
    }

    private static func parseString(_ rest: inout Substring, source: String, line: Int) throws -> String {
        let quote = rest.removeFirst()
        var result = ""
        while let character = rest.first {
            rest.removeFirst()
            if character == quote { return result }
            if character == "\\" && quote == "\"" {
                guard let escape = rest.first else { break }
                rest.removeFirst()
                switch escape {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                default: throw ConfigurationError.at(source, line, "unknown escape \\\(escape) in a string")
                }
            } else {
                result.append(character)
            }
        }
        throw ConfigurationError.at(source, line, "a string is not closed")
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces.
    fileprivate var trimmed: String {
        guard let first = firstIndex(where: { $0 != " " }), let last = lastIndex(where: { $0 != " " }) else { return "" }
        return String(self[first...last])
    }
}
