public import ArgumentParser
public import KeywardCore

extension Mode: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}
