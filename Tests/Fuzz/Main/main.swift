// keyward-fuzz: libFuzzer over one `FuzzTarget` (Tests/FuzzTargets). Built only by
// scripts/fuzz (KEYWARD_FUZZ=1, -sanitize=fuzzer); run it through that script.
//
//   KEYWARD_FUZZ_TARGET=http|json|keys|vault   which target
//   KEYWARD_FUZZ_SEEDS=DIR                     write the target's seeds into DIR first
//   other arguments                            libFuzzer's (corpus directories, -max_total_time=…)
//
// SwiftPM gives an executable its own `main`, so this one hands control to libFuzzer's
// driver rather than relying on libFuzzer's `main`.
import Foundation
import KeywardFuzzTargets

@_silgen_name("LLVMFuzzerRunDriver")
func fuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("keyward-fuzz: \(message)\n".utf8))
    exit(2)
}

let environment = ProcessInfo.processInfo.environment
guard let chosen = FuzzTarget(rawValue: environment["KEYWARD_FUZZ_TARGET"] ?? "") else {
    fail("set KEYWARD_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
}
do {
    try chosen.prepare()
    if let directory = environment["KEYWARD_FUZZ_SEEDS"] {
        for (index, seed) in try chosen.seeds().enumerated() {
            FileManager.default.createFile(atPath: "\(directory)/seed-\(index)", contents: Data(seed))
        }
    }
} catch {
    fail("cannot prepare \(chosen.rawValue): \(error)")
}

/// The target for the C entry point, which cannot capture.
nonisolated(unsafe) var target = chosen

/// libFuzzer's per-input entry point (its archive's own `main`, which SwiftPM's `main`
/// replaces, still names it, so it keeps this C name).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let findings = target.run(input)
    if !findings.isEmpty { fatalError("keyward-fuzz \(target.rawValue): \(findings.joined(separator: "; "))") }
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(fuzzerRunDriver(&argc, &argv, fuzzOneInput))
