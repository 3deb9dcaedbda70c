#!/usr/bin/env bash
# Runs inside the container booted by scripts/systemd-container (as root, systemd is PID 1).
# The operator's path from docs/operations.md, then what systemd must do with keywardd:
# socket activation, the STATUS line, reload, the watchdog restart, and a stop that leaves
# the vault as it was. Every check prints one "ok:" line; the first failure ends the run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
extra_units=(keyward-backup.service)

# `make install` builds a release first; here the binaries under test are installed instead.
make() {
    [ "$*" = install ] || fail "the docs run 'make $*'; this test only knows 'make install'"
    bash "$src/scripts/install" "" /usr "$bin"
}

work=$(mktemp -d)
cd "$work"

# 1. Install from source and first start, exactly as docs/operations.md says.
run_doc_block operations.md "Building from source"
ok "the Building from source steps of docs/operations.md ran"
[ "$(stat -c %U:%a /var/lib/keyward)" = keyward:700 ] || fail "/var/lib/keyward is $(stat -c %U:%a /var/lib/keyward), not keyward:700"
[ ! -e /etc/keyward/master.key ] || fail "the plain master key is still in /etc/keyward"
[ "$(unit_property keywardd.socket ActiveState)" = active ] || fail "keywardd.socket is not active"
[ "$(unit_property keywardd.service ActiveState)" = inactive ] || fail "keywardd started before anyone connected"
ok "keywardd.socket listens, keywardd itself is not running yet"

# 2. The first connection starts the daemon (socket activation), which reads the encrypted credential.
keywardctl status >status.txt || fail "keywardctl status through the socket failed"
[ "$(unit_property keywardd.service ActiveState)" = active ] || fail "the connection did not start keywardd"
ok "the first connection started keywardd (socket activation, LoadCredentialEncrypted, MemoryDenyWriteExecute)"

# 3. First setup of the live mode and a committed one-click rotation, as the docs say. The
#    dashboard's Alipay public key is stood in for by a fresh RSA key made with openssl.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out platform.pem 2>/dev/null
openssl pkey -in platform.pem -pubout -out alipay_public_key.txt
run_doc_block operations.md "First setup of a mode"
ok "the first-setup steps of docs/operations.md ran: live v1 committed and active"
keywardctl get live --json >live.json || fail "keywardctl get live failed"
grep -q '"version" *: *1' live.json || fail "the live key set is not version 1: $(head -c 400 live.json)"
ok "keywardctl get live serves version 1"

# 3b. An own-keys replacement, as the docs say, with a new stand-in platform key.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out platform.pem 2>/dev/null
openssl pkey -in platform.pem -pubout -out alipay_public_key.txt
run_doc_block operations.md "Replacing keys later"
keywardctl get live --json >live.json || fail "keywardctl get live failed"
grep -q '"version" *: *2' live.json || fail "the own-keys replacement did not make live v2: $(head -c 400 live.json)"
[ ! -e merchant_private_key.pem ] || fail "the docs' shred step did not remove the private key file"
ok "the own-keys replacement of docs/operations.md ran: live v2 committed"

# 4. systemd shows the daemon's STATUS= line.
wait_for 5 bash -c "systemctl show -P StatusText keywardd.service | grep -q 'live v2'" ||
    fail "StatusText is '$(unit_property keywardd.service StatusText)', not the live v2 status"
systemctl status --no-pager keywardd.service | grep -q "Status: \"live v2" || fail "systemctl status shows no STATUS line"
ok "systemctl status: $(systemctl status --no-pager keywardd.service | grep 'Status:' | sed 's/^ *//')"
wait_for 5 bash -c "journalctl --no-pager -u keywardd.service -o verbose | grep -q '^ *KEYWARD_'" ||
    fail "journald has no KEYWARD_* fields for keywardd"
ok "journald holds structured entries (KEYWARD_* fields)"
# Under the unit's hardening (seccomp, MemoryDenyWriteExecute, LimitMEMLOCK) nothing keywardd
# needs is refused: no warning from the daemon itself.
daemon_pid=$(unit_property keywardd.service MainPID)
warnings=$( (journalctl --no-pager -q -p warning _PID="$daemon_pid"
    journalctl --no-pager -q _PID="$daemon_pid" | grep -iE 'failed|could not|denied') |
    # libdispatch may try to give a worker thread a negative nice value for a high QoS class;
    # an unprivileged daemon may not (EACCES, harmless, documented in docs/operations.md).
    grep -v 'Failed to set thread priority for worker thread: .* errno=13' || true)
[ -z "$warnings" ] || fail "keywardd logged warnings under the unit's hardening: $warnings"
ok "keywardd logged no warnings under the unit's hardening"

# 5. systemctl reload: SIGHUP, RELOADING=1 then READY=1, same process.
pid_before=$(unit_property keywardd.service MainPID)
systemctl reload keywardd.service || fail "systemctl reload keywardd failed"
[ "$(unit_property keywardd.service MainPID)" = "$pid_before" ] || fail "reload replaced the process"
[ "$(unit_property keywardd.service ActiveState)" = active ] || fail "keywardd is not active after reload"
journalctl --no-pager -u keywardd.service | grep -q "reloaded /etc/keyward/keywardd.toml" || fail "no 'reloaded' entry in the journal"
ok "systemctl reload passed (pid $pid_before kept, configuration reloaded)"

# 6. systemctl stop leaves the vault exactly as it was; the next connection starts it again.
vault_sum=$(sha256sum /var/lib/keyward/vault.kwv)
systemctl stop keywardd.service || fail "systemctl stop keywardd failed"
[ "$(unit_property keywardd.service Result)" = success ] || fail "keywardd stopped with result $(unit_property keywardd.service Result)"
[ "$(sha256sum /var/lib/keyward/vault.kwv)" = "$vault_sum" ] || fail "the vault changed on stop"
ok "systemctl stop: clean exit, vault unchanged ($(echo "$vault_sum" | cut -c1-16)…)"
keywardctl get live --json | grep -q '"version" *: *2' || fail "after the stop, the socket did not bring back live v2"
ok "the next connection started keywardd again and it serves live v2"

# 7. A daemon that stops pinging is killed and restarted by the watchdog. The fault switch
#    KEYWARD_DEBUG_STALL_WATCHDOG_AFTER exists in debug builds only.
mkdir -p /run/systemd/system/keywardd.service.d
cat >/run/systemd/system/keywardd.service.d/stall.conf <<EOF
[Service]
WatchdogSec=2s
Environment=KEYWARD_DEBUG_STALL_WATCHDOG_AFTER=1
EOF
systemctl daemon-reload
systemctl restart keywardd.service
stalled_pid=$(unit_property keywardd.service MainPID)
restarts_before=$(unit_property keywardd.service NRestarts)
wait_for 30 bash -c "journalctl --no-pager -u keywardd.service | grep -q 'Watchdog timeout'" ||
    fail "no watchdog timeout within 30 s of a daemon that stopped pinging"
wait_for 30 bash -c "[ \$(systemctl show -P NRestarts keywardd.service) -gt $restarts_before ]" ||
    fail "the watchdog timeout did not lead to a restart"
rm /run/systemd/system/keywardd.service.d/stall.conf
systemctl daemon-reload
systemctl reset-failed keywardd.service || true
systemctl restart keywardd.service
[ "$(unit_property keywardd.service MainPID)" != "$stalled_pid" ] || fail "the stalled process is still running"
ok "watchdog: the stalled daemon (pid $stalled_pid) was killed ('Watchdog timeout') and restarted"
keywardctl get live --json | grep -q '"version" *: *2' || fail "after the watchdog restart, live v2 is not served"
[ "$(sha256sum /var/lib/keyward/vault.kwv)" = "$vault_sum" ] || fail "the vault changed across the watchdog kill"
ok "after the watchdog restart: live v2 served, vault unchanged"

# 8. Hardening as systemd applied it.
main_pid=$(unit_property keywardd.service MainPID)
grep -q '^CapEff:\s*0000000000000000$' /proc/"$main_pid"/status || fail "keywardd runs with capabilities"
grep -q '^NoNewPrivs:\s*1$' /proc/"$main_pid"/status || fail "keywardd runs without no_new_privs"
grep -q '^Seccomp:\s*2$' /proc/"$main_pid"/status || fail "keywardd runs without a seccomp filter"
[ "$(stat -c %U /proc/"$main_pid")" = keyward ] || fail "keywardd does not run as user keyward"
ok "keywardd runs as keyward, no capabilities, no_new_privs, seccomp filter"

# 9. Staying ahead of rotation (docs/operations.md): with a policy under which live v2 is due
#    soon (due one day after its commit, warned 30 days ahead), systemd's STATUS names it, the
#    journal has it under the lifecycle MESSAGE_ID, and the alert hook gets it as JSON.
install -d /usr/local/libexec
cat >/usr/local/libexec/keyward-test-alert <<'HOOK'
#!/bin/sh
# Runs as user keyward inside keywardd's sandbox: /run/keyward is writable there.
cat >/run/keyward/alert.json
HOOK
chmod 0755 /usr/local/libexec/keyward-test-alert
cp /etc/keyward/keywardd.toml /root/keywardd.toml.before-lifecycle
sed -i '/^\[mode.live\]/,$ s/^rotate_after_days = .*/rotate_after_days = 1/' /etc/keyward/keywardd.toml
sed -i 's|^# exec = .*|exec = ["/usr/local/libexec/keyward-test-alert"]|' /etc/keyward/keywardd.toml
keywardd --check-config /etc/keyward/keywardd.toml || fail "the lifecycle settings are refused"
systemctl reload keywardd.service || fail "systemctl reload keywardd failed"
wait_for 30 bash -c "systemctl show -P StatusText keywardd.service | grep -q 'live v2 is due for rotation on'" ||
    fail "STATUS does not name the due rotation: $(unit_property keywardd.service StatusText)"
wait_for 30 bash -c "journalctl --no-pager -q MESSAGE_ID=6b9f0d3c2e8a4f1b9c7d5e3a1f0b8c2d -o verbose | grep -q 'KEYWARD_MODE=live'" ||
    fail "no lifecycle warning with its MESSAGE_ID and KEYWARD_MODE=live in the journal"
wait_for 30 grep -q '"state":"due-soon"' /run/keyward/alert.json ||
    fail "the alert hook did not get the item: $(cat /run/keyward/alert.json 2>&1)"
grep -q '"mode":"live"' /run/keyward/alert.json || fail "the alert names another mode: $(cat /run/keyward/alert.json)"
as_status=$(keywardctl status)
echo "$as_status" | grep -q "\[due-soon\] live v2 is due for rotation" || fail "keywardctl status does not show it: $as_status"
ok "a due rotation shows in STATUS ($(unit_property keywardd.service StatusText | sed 's/.*; //')), the journal (MESSAGE_ID) and the alert hook"
cp /root/keywardd.toml.before-lifecycle /etc/keyward/keywardd.toml
systemctl reload keywardd.service || fail "systemctl reload keywardd failed"
rm -f /run/keyward/alert.json

# 10. The journal keeps a copy of each audit entry: the log compared with it passes, and an
#     entry changed in the file afterwards is named.
compared=$(keywardctl audit --verify --against-journal) || fail "the audit log does not match its journal copies: $compared"
echo "$compared" | grep -q "match their journal copies" || fail "no comparison with the journal: $compared"
copies=$(journalctl --no-pager -q MESSAGE_ID=0f2a7c4e9b1d4c3a8e5f6a7b8c9d0e1f -o verbose)
echo "$copies" | grep -q "KEYWARD_AUDIT_HASH=" || fail "the journal has no audit copies with KEYWARD_AUDIT_HASH"
echo "$compared" | grep -qv "^audit log intact, and 0 of" || fail "no entry had a journal copy: $compared"
cp -p /var/lib/keyward/audit.log /root/audit.log.before-tamper
line=$(grep -n '"outcome":"ok"' /var/lib/keyward/audit.log | tail -1 | cut -d: -f1)
sed -i "${line}s/\"outcome\":\"ok\"/\"outcome\":\"OK\"/" /var/lib/keyward/audit.log
tampered=$(keywardctl audit --verify --against-journal) && fail "a changed audit entry went unnoticed: $tampered"
echo "$tampered" | grep -q "differs from the copy the journal received" || fail "the changed entry is not named: $tampered"
cp -p /root/audit.log.before-tamper /var/lib/keyward/audit.log
keywardctl audit --verify >/dev/null || fail "the restored audit log does not verify"
ok "audit entries are copied to the journal (MESSAGE_ID, KEYWARD_AUDIT_HASH); --against-journal names an entry changed afterwards"

# 11. Backups and the recovery drill, as docs/operations.md says: a recovery key, the
#     backup service run once, then the host "lost" (state directory and master-key
#     credential gone) and restored from the backup and the recovery key alone. The docs'
#     configuration line is a comment there: the scenario sets it first.
cd "$work"
sed -i 's|^recovery_public_key_file = .*|recovery_public_key_file = "/etc/keyward/recovery.pub"|' /etc/keyward/keywardd.toml
keywardd --check-config /etc/keyward/keywardd.toml || fail "[backup] recovery_public_key_file is refused"
before_backup=$(keywardctl get live --json) || fail "keywardctl get live failed"
run_doc_block operations.md "Backups and recovery"
ls /var/backups/keyward/*.kwbackup >/dev/null 2>&1 || fail "keyward-backup.service wrote no backup"
[ "$(stat -c %a /var/backups/keyward)" = 700 ] || fail "/var/backups/keyward is not 0700"
[ "$(systemctl is-enabled keyward-backup.timer)" = enabled ] || fail "keyward-backup.timer is not enabled"
wait_for 10 bash -c "! systemctl show -P StatusText keywardd.service | grep -q backup" ||
    fail "STATUS still warns of backups after one was made: $(unit_property keywardd.service StatusText)"
ok "a backup by keyward-backup.service (timer enabled), verified with the recovery key"
systemctl stop keywardd.socket keywardd.service
rm -rf /var/lib/keyward/* /etc/keyward/master-key.cred
run_doc_block operations.md "Restoring on a new host"
after_backup=$(keywardctl get live --json) || fail "keywardctl get live failed after the restore"
same_key_set "$before_backup" "$after_backup" || fail "the restored daemon serves another live set"
keywardctl audit | grep -q " restore - ok" || fail "no restore entry in the audit log"
ok "the drill: state directory and credential destroyed, restored with the backup and the recovery key; live served as before, audit chain intact"

ok "all steps passed"
