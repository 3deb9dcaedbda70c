// swift-tools-version: 6.1
// Keyward: the key-rotation and secrets daemon for Alipay / Alipay+ merchant keys.
// One responsibility per target; see docs/architecture.md for the picture.
import Foundation
import PackageDescription

let package = Package(
    name: "keyward",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keywardd", targets: ["keywardd"]),
        .executable(name: "keywardctl", targets: ["keywardctl"]),
        .executable(name: "keyward-store", targets: ["keyward-store"]),
        .library(name: "KeywardCrypto", targets: ["KeywardCrypto"]),
        .library(name: "KeywardCore", targets: ["KeywardCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The fleet store (KeywardFleet) only. It brings swift-nio-ssl for TLS to PostgreSQL;
        // Keyward's own cryptography stays on OpenSSL.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C walls: system libraries and the few wrappers Swift cannot import directly.
        .systemLibrary(
            name: "CKeywardOpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "CKeywardLinux"),
        .systemLibrary(
            name: "CKeywardSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),

        // Libraries.
        .target(name: "KeywardCrypto", dependencies: ["CKeywardOpenSSL", "CKeywardLinux", "KeywardAPI"]),
        .target(name: "KeywardCore", dependencies: ["KeywardCrypto", "KeywardAPI"]),
        // The contract shared by the daemon, keywardctl and the tests: the wire model (Codable
        // values), the routes, the error-code protocol. No NIO, no OpenSSL; depends on nothing.
        // (docs/architecture.md)
        .target(name: "KeywardAPI"),
        // keywardd.toml, the store URL, the default paths, credential lookup: shared by the
        // daemon and keywardctl, with no server (NIO) in it.
        .target(name: "KeywardConfiguration", dependencies: ["KeywardCore", "KeywardCrypto"]),
        // What the command-line programs share: output, errors and exit status, global flags.
        .target(
            name: "KeywardCommandLine",
            dependencies: ["KeywardAPI", "KeywardCrypto", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .target(name: "KeywardSystemd", dependencies: ["CKeywardSystemd", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "KeywardServer",
            dependencies: [
                "KeywardAPI", "KeywardConfiguration", "KeywardCore", "KeywardCrypto", "CKeywardLinux",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),

                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "KeywardFleet",
            dependencies: [
                "KeywardConfiguration", "KeywardCore", "KeywardCrypto",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Executables.
        .executableTarget(
            name: "keywardd",
            dependencies: [
                "KeywardServer", "KeywardConfiguration", "KeywardCore", "KeywardCrypto", "KeywardSystemd", "KeywardFleet", "CKeywardLinux",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // keywardctl links no networking stack (no NIO): store commands run keyward-store.
        .executableTarget(
            name: "keywardctl",
            dependencies: [
                "KeywardAPI", "KeywardCommandLine", "KeywardCrypto", "KeywardCore", "KeywardConfiguration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "keyward-store",
            dependencies: [
                "KeywardCommandLine", "KeywardConfiguration", "KeywardCore", "KeywardCrypto", "KeywardFleet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Tests.
        .executableTarget(name: "keyward-vault-torture", dependencies: ["KeywardCore", "KeywardCrypto"], path: "Tests/VaultTortureHelper"),
        .target(
            name: "KeywardTestSupport", dependencies: ["KeywardAPI", "KeywardCrypto", "KeywardCore"], path: "Tests/KeywardTestSupport"),
        .target(
            name: "KeywardServerTestSupport",
            dependencies: [
                "KeywardServer", "KeywardConfiguration", "KeywardCore", "KeywardTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/KeywardServerTestSupport"),
        .testTarget(name: "KeywardCryptoTests", dependencies: ["KeywardCrypto", "KeywardTestSupport"]),
        .testTarget(name: "KeywardCoreTests", dependencies: ["KeywardCore", "KeywardCrypto", "KeywardTestSupport"]),
        .testTarget(name: "KeywardSystemdTests", dependencies: ["KeywardSystemd", "KeywardTestSupport"]),
        .testTarget(
            name: "KeywardServerTests",
            dependencies: [
                "KeywardAPI", "KeywardServer", "KeywardConfiguration", "KeywardCore", "KeywardCrypto", "KeywardTestSupport",
                "KeywardServerTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "KeywardIntegrationTests", dependencies: ["KeywardCore", "KeywardCrypto", "KeywardTestSupport"]),
        .testTarget(
            name: "KeywardConfigurationTests", dependencies: ["KeywardConfiguration", "KeywardCore", "KeywardCrypto", "KeywardTestSupport"]),
        .testTarget(name: "KeywardCtlTests", dependencies: ["KeywardAPI", "KeywardCrypto", "KeywardTestSupport"]),
        .testTarget(
            name: "KeywarddTests",
            dependencies: [
                "keywardd", "KeywardServer", "KeywardAPI", "KeywardConfiguration", "KeywardCore", "KeywardCrypto", "KeywardSystemd",
                "KeywardTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        // The fuzz targets (code that takes untrusted bytes), replayed by FuzzRegressionTests and
        // run under libFuzzer by the keyward-fuzz binary below.
        .target(
            name: "KeywardFuzzTargets",
            dependencies: [
                "KeywardServer", "KeywardCore", "KeywardCrypto", "KeywardTestSupport", "KeywardServerTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/FuzzTargets"
        ),
        .testTarget(name: "KeywardFuzzRegressionTests", dependencies: ["KeywardFuzzTargets", "KeywardTestSupport"]),
        .testTarget(
            name: "KeywardFleetTests",
            dependencies: [
                "KeywardFleet", "KeywardCore", "KeywardCrypto", "KeywardTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
    ]
)

// libFuzzer supplies `main`, so the fuzz binary links only in a -sanitize=fuzzer build:
// scripts/fuzz sets KEYWARD_FUZZ=1 for that build.
if ProcessInfo.processInfo.environment["KEYWARD_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "keyward-fuzz", dependencies: ["KeywardFuzzTargets"], path: "Tests/Fuzz/Main"))
}

// One place for language settings: every target gets the same upcoming features.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
