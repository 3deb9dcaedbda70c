import Glibc

/// CLOCK_MONOTONIC, as systemd reads it.
public enum MonotonicClock {
    /// Microseconds since an arbitrary fixed point (boot).
    public static func nowMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
