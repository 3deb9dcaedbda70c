// swift-tools-version: 6.1
// Keyward: the key-rotation and secrets daemon for Alipay / Alipay+ merchant keys.
// One responsibility per target; see docs/architecture.md for the picture.
import PackageDescription

let package = Package(
    name: "keyward",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keywardctl", targets: ["keywardctl"]),
        .library(name: "KeywardCrypto", targets: ["KeywardCrypto"]),
        .library(name: "KeywardCore", targets: ["KeywardCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // C walls: system libraries and the few wrappers Swift cannot import directly.
        .systemLibrary(
            name: "CKeywardOpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CKeywardSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),

        // Libraries.
        .target(name: "KeywardCrypto", dependencies: ["CKeywardOpenSSL"]),
        .target(name: "KeywardCore", dependencies: ["KeywardCrypto"]),
        .target(name: "KeywardSystemd", dependencies: ["CKeywardSystemd"]),

        // Executables.
        .executableTarget(
            name: "keywardctl",
            dependencies: [
                "KeywardCrypto",
                "KeywardCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tests.
        .executableTarget(name: "keyward-vault-torture", dependencies: ["KeywardCore", "KeywardCrypto"], path: "Tests/VaultTortureHelper"),
        .target(name: "KeywardTestSupport", dependencies: ["KeywardCrypto", "KeywardCore"], path: "Tests/KeywardTestSupport"),
        .testTarget(name: "KeywardCryptoTests", dependencies: ["KeywardCrypto", "KeywardTestSupport"]),
        .testTarget(name: "KeywardCoreTests", dependencies: ["KeywardCore", "KeywardCrypto", "KeywardTestSupport"]),
        .testTarget(name: "KeywardSystemdTests", dependencies: ["KeywardSystemd", "KeywardTestSupport"]),
        .testTarget(name: "KeywardCtlTests", dependencies: ["KeywardCrypto", "KeywardTestSupport"]),
    ]
)

// One place for language settings: every target gets the same upcoming features.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
