import CKeywardLinux
import Logging

/// What the daemon does to itself before it reads any secret: no core dumps, not
/// dumpable (so no ptrace by the same uid either). A failure is a warning, not fatal.
enum ProcessHardening {
    static func apply(logger: Logger) {
        if CKeywardLinux_disableCoreFiles() != 0 {
            logger.warning("could not disable core files (setrlimit RLIMIT_CORE); a crash could write key material to disk")
        }
        if CKeywardLinux_disableDumping() != 0 {
            logger.warning("could not mark the process non-dumpable (prctl PR_SET_DUMPABLE)")
        }
    }
}
