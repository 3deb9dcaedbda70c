// KeywardServer: the Unix-socket HTTP/1.1 + JSON API of keywardd, on SwiftNIO.
//
// `KeywardHTTPServer` accepts connections (on its own socket or one systemd passed), checks
// each peer's uid with SO_PEERCRED before any HTTP is parsed, bounds request size and time,
// and hands complete requests to `Router`. Reads are served from `SnapshotBoard`: one
// immutable `PublishedKeySet` per mode behind an atomic reference, swapped only after the
// vault has saved a change, so no reader ever sees keys of two versions. Control requests
// go to `KeywardService`, which owns the `Vault` and publishes after every saved change.
