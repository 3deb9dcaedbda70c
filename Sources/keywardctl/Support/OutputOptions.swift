import ArgumentParser

/// Options every command takes.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object on standard output instead of text.")
    var json = false
}
