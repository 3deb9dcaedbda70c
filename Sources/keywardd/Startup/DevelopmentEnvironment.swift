import Foundation
import Glibc
import KeywardConfiguration
import KeywardCore
import KeywardServer
import Logging

/// The embedded default: state, socket and a throwaway master key in one local directory.
enum DevelopmentEnvironment {
    static func configuration(directory: String, logger: Logger) throws -> DaemonConfiguration {
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        chmod(absolute, 0o700)
        var config = DaemonConfiguration()
        config.stateDirectory = absolute
        config.socketPath = absolute + "/keyward.sock"
        config.socketPermissions = 0o600
        config.masterKeyFile = absolute + "/master.key"
        // A recovery key's public half put beside the vault enables backups in dev mode.
        if FileManager.default.fileExists(atPath: absolute + "/recovery.pub") { config.recoveryPublicKeyFile = absolute + "/recovery.pub" }
        if !FileManager.default.fileExists(atPath: absolute + "/master.key") {
            try MasterKeyLoader.write(try MasterKey.generate(), to: absolute + "/master.key")
            logger.warning(
                "DEV MODE: created a throwaway master key next to the vault (\(absolute)/master.key). Anyone who can read this directory can read every key in it. Never use dev mode for live keys."
            )
        }
        return config
    }
}
