import Glibc
public import KeywardAPI

extension AuditActor {
    /// This process.
    public static var currentProcess: AuditActor {
        AuditActor(uid: getuid(), gid: getgid(), pid: getpid())
    }
}
