/// KeywardFleet: several keywardd nodes sharing one sealed vault through PostgreSQL.
///
/// - `PostgresVaultStore`: the vault blob in one row, saved by compare-and-swap on its
///   generation, with `NOTIFY keyward_commit` in the same transaction.
/// - `MirroredVaultStore`: that store plus the last good vault in the node's state
///   directory, so reads and signatures go on while the database is unreachable.
/// - `StoreSchema`: versioned, idempotent schema migrations (`keywardctl store migrate`).
/// - `CommitListener`: LISTENs for other nodes' commits and polls the generation as a
///   safety net.
///
/// PostgreSQL only ever sees the sealed vault; every node unlocks it with the master key of
/// the install, delivered as its own systemd credential.
enum KeywardFleet {}
