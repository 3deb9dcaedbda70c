import Foundation
import KeywardServer
import KeywardSystemd
import Logging
import ServiceLifecycle

/// Runs the HTTP server; READY=1 once it listens; on graceful shutdown STOPPING=1 and drain.
struct ServerService: Service {
    let server: KeywardHTTPServer
    let notifier: SystemdNotifier
    let service: KeywardService
    let logger: Logger
    let endpoint: ListenEndpoint
    let development: Bool

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.run {
                let status = await service.statusLine()
                notifier.notify(.ready, .status(status))
                switch endpoint {
                case .path(let path, _, _):
                    logger.notice("listening on \(path): \(status)")
                    if development {
                        FileHandle.standardError.write(
                            Data(
                                """

                                keywardd is running in DEV MODE on \(path)
                                In another terminal:
                                  export KEYWARD_SOCKET=\(path)
                                  keywardctl status
                                  keywardctl setup test --pid 2088101122136241 --app-id 2021001100600000
                                  keywardctl rotate test --generate
                                Stop it with Ctrl-C.

                                """.utf8))
                    }
                case .inherited(let descriptor):
                    logger.notice("listening on the socket systemd passed (fd \(descriptor)): \(status)")
                }
            }
        } onGracefulShutdown: {
            notifier.notify(.stopping)
            logger.notice("stopping: draining connections")
            server.beginDrain()
        }
    }
}
