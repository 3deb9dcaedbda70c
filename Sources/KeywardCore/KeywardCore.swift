// KeywardCore: the domain of Keyward, with no sockets.
//
// Modes (test and live) and their merchant accounts; key sets (immutable, versioned
// snapshots of a mode's merchant private key, merchant public key and platform public key);
// the validation rules of the two seed documents; the rotation state machine, a pure value
// transition that returns what its owner must persist and publish; the vault format (an
// authenticated header and an AES-256-GCM body under a data key wrapped by the master key);
// the `VaultStore` protocol and its atomic file store; the hash-chained audit log; and the
// `Vault` actor that ties them together with the rule "persist first, then publish".

// The contract's vocabulary (modes, key-set origins, audit entries) lives in KeywardAPI, a
// target of Codable values that keywardctl and the tests share; the domain re-exports it.
@_exported public import KeywardAPI
