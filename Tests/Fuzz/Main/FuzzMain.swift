// keyward-fuzz: libFuzzer's entry points over `FuzzTarget` (Tests/FuzzTargets). Built only
// by scripts/fuzz (KEYWARD_FUZZ=1, -sanitize=fuzzer); run it through that script.
//
//   KEYWARD_FUZZ_TARGET=http|json|keys|vault   which target
//   KEYWARD_FUZZ_SEEDS=DIR                     write the target's seeds into DIR first
import Foundation
import KeywardFuzzTargets

nonisolated(unsafe) private var target = FuzzTarget.http

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    let environment = ProcessInfo.processInfo.environment
    guard let chosen = FuzzTarget(rawValue: environment["KEYWARD_FUZZ_TARGET"] ?? "") else {
        FileHandle.standardError.write(
            Data("keyward-fuzz: set KEYWARD_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    target = chosen
    do {
        try target.prepare()
        if let directory = environment["KEYWARD_FUZZ_SEEDS"] {
            for (index, seed) in try target.seeds().enumerated() {
                FileManager.default.createFile(atPath: "\(directory)/seed-\(index)", contents: Data(seed))
            }
        }
    } catch {
        FileHandle.standardError.write(Data("keyward-fuzz: cannot prepare \(target.rawValue): \(error)\n".utf8))
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let findings = target.run(input)
    if !findings.isEmpty { fatalError("keyward-fuzz \(target.rawValue): \(findings.joined(separator: "; "))") }
    return 0
}
