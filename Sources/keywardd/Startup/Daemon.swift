import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardFleet
import KeywardServer
import KeywardSystemd
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// Startup in order: harden, configure, unlock and open the vault, bind, READY=1; then run
/// until SIGTERM/SIGINT and drain.
enum Daemon {
    static func run(_ source: ConfigurationSource) async -> Int32 {
        var bootstrapLogger = Logger(label: "keywardd")
        ProcessHardening.apply(logger: bootstrapLogger)

        let configuration: DaemonConfiguration
        do {
            switch source {
            case .file(let path): configuration = try DaemonConfiguration.load(path: path)
            case .development(let directory):
                configuration = try DevelopmentEnvironment.configuration(directory: directory, logger: bootstrapLogger)
            }
        } catch {
            FileHandle.standardError.write(Data("keywardd: \(error)\n".utf8))
            return 78
        }
        LogDestination.bootstrap(level: Logger.Level(rawValue: configuration.logLevel) ?? .info)
        bootstrapLogger = Logger(label: "keywardd")
        let logger = bootstrapLogger
        let notifier = SystemdNotifier()

        do {
            let credentials = CredentialLookup()
            let stateDirectory = StateDirectory(configuration.stateDirectory)
            guard
                let masterKey = try MasterKeyLoader.load(credentialsDirectory: credentials.directory, keyFile: configuration.masterKeyFile)
            else {
                throw VaultError(
                    code: .masterKeyMissing,
                    message: "no master key: no credential \(MasterKeyLoader.credentialName) and no master_key_file in the configuration",
                    hint: "create one with keywardctl init, or run keywardd --dev for a local instance"
                )
            }
            let statusBox = StatusReporter(notifier: notifier)
            let store = try VaultStoreFactory.make(
                configuration, credentials: credentials, logger: logger,
                onReachabilityChange: { since in statusBox.storeReachabilityChanged(since) })
            let vault = try await Vault.open(
                store: store,
                unlock: .masterKey(masterKey),
                auditLogPath: stateDirectory.auditLog,
                policy: configuration.rotation,
                create: isDevelopment(source)
            )
            if !SecretBytes.memoryIsProtected {
                logger.warning(
                    "secret memory could not be locked (mlock) or excluded from core dumps (MADV_DONTDUMP); raise LimitMEMLOCK (the unit sets 64M). Keys may reach swap."
                )
            }
            let service = await KeywardService(
                vault: vault,
                settings: .init(
                    access: configuration.access, limits: configuration.limits, lifecycle: configuration.lifecycle,
                    alerts: configuration.alerts, recoveryPublicKeyFile: configuration.recoveryPublicKeyFile,
                    backupWarnAfter: configuration.backupWarnAfter),
                stateDirectory: stateDirectory,
                logger: logger,
                onChange: { statusBox.changed() }
            )
            statusBox.attach(service)
            await service.reconcileExportApprovals()
            await service.loadLastBackup()

            let endpoint: ListenEndpoint
            if let inherited = ListenSockets.take().first {
                guard ListenSockets.isUnixStreamListener(inherited) else {
                    throw SocketError(
                        code: .inheritedNotUnix, message: "the socket systemd passed is not a listening Unix stream socket",
                        hint: "use ListenStream=/path in keywardd.socket")
                }
                endpoint = .inherited(descriptor: inherited)
            } else {
                endpoint = .path(configuration.socketPath, permissions: configuration.socketPermissions, group: configuration.socketGroup)
            }
            // The server's own event loops (`[limits] event_loops`), which the watchdog probes.
            let loops = MultiThreadedEventLoopGroup(
                numberOfThreads: configuration.limits.eventLoopThreads(cores: ProcessInfo.processInfo.activeProcessorCount))
            let server = KeywardHTTPServer(
                endpoint: endpoint,
                limits: configuration.limits,
                responder: Router(service: service),
                logger: logger,
                group: loops
            )
            let serverService = ServerService(
                server: server, notifier: notifier, service: service, logger: logger, endpoint: endpoint, development: isDevelopment(source)
            )
            var services: [any Service] = [serverService]
            services.append(ReloadService(source: source, service: service, notifier: notifier, logger: logger))
            if let fleet = store as? MirroredVaultStore, case .postgres(let settings) = configuration.store {
                let listener = CommitListener(
                    connector: fleet.remote.connector, store: fleet, pollInterval: settings.pollInterval, logger: logger,
                    refresh: { generation in await service.refreshFromStore(announced: generation) })
                services.append(FleetSyncService(listener: listener, store: fleet))
            }
            services.append(
                LifecycleService(
                    service: service, alerts: AlertRunner(logger: logger), interval: .seconds(60), logger: logger,
                    triggers: statusBox.lifecycleChecks.stream, onChange: { statusBox.statusOnly() }))
            if let interval = notifier.watchdogPingInterval {
                let probe = LivenessProbe(group: loops, deadline: interval) { _ = await vault.now() }
                services.append(WatchdogService(notifier: notifier, interval: interval, probe: probe, logger: logger))
            }
            let group = ServiceGroup(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
            try await group.run()
            try? await loops.shutdownGracefully()
            logger.notice("stopped")
            return 0
        } catch {
            let text = (error as? any ReportableError)?.description ?? "\(error)"
            logger.critical("cannot start: \(text)")
            notifier.notify(.status("failed: \(text)"))
            return 1
        }
    }

    static func isDevelopment(_ source: ConfigurationSource) -> Bool {
        if case .development = source { return true }
        return false
    }
}
