/// Options an operator may write before the command name as well as after it:
/// `keywardctl --json status` is `keywardctl status --json`.
public enum GlobalOptions {
    public static let flags: Set<String> = ["--json"]

    /// `arguments` (without the program name) with the global flags that stand before the
    /// first command name moved behind the command's own arguments (before a `--`, if any).
    public static func movedAfterCommand(_ arguments: [String]) -> [String] {
        guard let first = arguments.firstIndex(where: { !flags.contains($0) }), first > 0 else { return arguments }
        let leading = Array(arguments[..<first])
        var rest = Array(arguments[first...])
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: leading, at: end)
        return rest
    }
}
