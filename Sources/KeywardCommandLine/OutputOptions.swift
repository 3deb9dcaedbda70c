public import ArgumentParser

/// Options every command takes.
public struct OutputOptions: ParsableArguments {
    public init() {}

    @Flag(name: .long, help: "Print one JSON object on standard output instead of text.")
    public var json = false
}
