// KeywardSystemd: Keyward's edge to systemd, over libsystemd.
//
// `SystemdNotifier` sends READY/STATUS/WATCHDOG/RELOADING/STOPPING through `sd_notify`;
// `ListenSockets` takes the sockets systemd passes on socket activation; `MonotonicClock`
// gives the CLOCK_MONOTONIC timestamp that RELOADING=1 needs. Nothing here decides policy:
// the daemon says when to send what.
