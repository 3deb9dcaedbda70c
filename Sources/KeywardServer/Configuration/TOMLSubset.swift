/// The TOML that keywardd.toml uses, read strictly, with the line of every key kept so
/// that errors can name it: `[table]` and `[table.sub]` headers, `key = value` with basic
/// or literal strings, integers, booleans and one-line arrays of strings, and `#` comments.
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

    /// A value with where it was written.
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
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = Self.stripComment(String(rawLine)).trimmingCharacters(in: " ")
                .replacingTabsAndCarriageReturns()
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw ConfigurationError.at(source, number, "a table header must be [name]")
                }
                table = String(line.dropFirst().dropLast()).trimmingCharacters(in: " ")
                guard !table.isEmpty, table.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }) else {
                    throw ConfigurationError.at(source, number, "'\(table)' is not a valid table name")
                }
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
            let key = line[..<equals].trimmingCharacters(in: " ")
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ConfigurationError.at(source, number, "'\(key)' is not a valid key")
            }
            if let existing = tables[table]?[key] {
                throw ConfigurationError.at(source, number, "'\(key)' is set twice (first on line \(existing.line))")
            }
            let value = try Self.parseValue(line[line.index(after: equals)...].trimmingCharacters(in: " "), source: source, line: number)
            tables[table, default: [:]][key] = Entry(value: value, line: number)
        }
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
        if text.hasPrefix("\"") || text.hasPrefix("'") {
            var rest = Substring(text)
            let string = try parseString(&rest, source: source, line: line)
            guard rest.trimmingCharacters(in: " ").isEmpty else {
                throw ConfigurationError.at(source, line, "unexpected text after the string")
            }
            return .string(string)
        }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw ConfigurationError.at(source, line, "an array must close on the same line") }
            var rest = Substring(text.dropFirst().dropLast())
            var items: [String] = []
            while true {
                rest = Substring(rest.trimmingCharacters(in: " "))
                if rest.isEmpty { break }
                guard rest.hasPrefix("\"") || rest.hasPrefix("'") else {
                    throw ConfigurationError.at(source, line, "arrays here hold strings only")
                }
                items.append(try parseString(&rest, source: source, line: line))
                rest = Substring(rest.trimmingCharacters(in: " "))
                if rest.hasPrefix(",") {
                    rest = rest.dropFirst()
                } else if !rest.isEmpty {
                    throw ConfigurationError.at(source, line, "expected ',' between array items")
                }
            }
            return .strings(items)
        }
        let digits = text.replacingOccurrences(of: "_", with: "")
        if let integer = Int(digits) { return .integer(integer) }
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

extension String {
    fileprivate func replacingTabsAndCarriageReturns() -> String {
        String(self.map { $0 == "\t" ? " " : $0 }.filter { $0 != "\r" }).trimmingCharacters(in: " ")
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        self.split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
