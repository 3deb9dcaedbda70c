/// Where a production install keeps things: the defaults of keywardd, keywardctl and the
/// units in systemd/, in one place.
public enum KeywardPaths {
    /// keywardd's configuration.
    public static let configuration = "/etc/keyward/keywardd.toml"
    /// The Unix socket keywardd.socket listens on.
    public static let socket = "/run/keyward/keyward.sock"
    /// StateDirectory=keyward: the vault, the audit log.
    public static let stateDirectory = "/var/lib/keyward"
    /// A plain master key file, as `keywardctl init` writes it without --credential.
    public static let masterKeyFile = "/etc/keyward/master.key"
    /// Where `keywardctl init --credential` puts the sealed master key by default.
    public static let masterKeyCredential = "/etc/keyward/master-key.cred"
    /// The environment variable that points keywardctl at another socket.
    public static let socketEnvironment = "KEYWARD_SOCKET"
}
