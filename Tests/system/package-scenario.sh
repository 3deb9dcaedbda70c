#!/usr/bin/env bash
# Runs inside the container booted by scripts/systemd-container (as root, systemd is PID 1),
# with the packages of scripts/package-test at /keyward/bin/first and /keyward/bin/second (the
# same tree packaged under two versions). The operator's path with the Debian package on a host
# that has no Swift toolchain: docs/operations.md's "Install" and "Granting a service" steps as
# written, the walk-through, an upgrade under a read load, then remove and purge, which must
# leave every key where it was. Every check prints one "ok:" line; the first failure ends it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
extra_units=(keyward-backup.timer)

first=$(ls /keyward/bin/first/keyward_*_amd64.deb)
second=$(ls /keyward/bin/second/keyward_*_amd64.deb)
first_version=$(dpkg-deb -f "$first" Version)
second_version=$(dpkg-deb -f "$second" Version)
export DEBIAN_FRONTEND=noninteractive
apt_quiet=(-y -q -o Dpkg::Use-Pty=0)

# 0. A payment host: no Swift toolchain, no Keyward. This machine's image may carry Docker's
#    build-time /usr/sbin/policy-rc.d (exit 101: "start no service"), which makes every
#    package's deb-systemd-invoke a no-op; a host that runs services has none.
rm -rf /opt/swift
rm -f /usr/sbin/policy-rc.d
! command -v swift >/dev/null || fail "a swift is still on the PATH: $(command -v swift)"
! dpkg-query -W keyward >/dev/null 2>&1 || fail "keyward is already installed in the container"
ok "no Swift toolchain (/opt/swift removed), no keyward package"

work=$(mktemp -d)
# The read load runs as user payments and looks for its stop file here.
chmod 0755 "$work"
cd "$work"
cp "$first" .

# 1. Install, exactly as docs/operations.md says.
run_doc_block operations.md "Install"
ok "the Install steps of docs/operations.md ran (apt install ./$(basename "$first"), init, enable)"
[ "$(dpkg-query -W -f='${Version}' keyward)" = "$first_version" ] || fail "keyward $first_version is not installed"
getent passwd keyward >/dev/null || fail "the package made no user keyward"
[ "$(stat -c %U:%a /var/lib/keyward)" = keyward:700 ] || fail "/var/lib/keyward is $(stat -c %U:%a /var/lib/keyward)"
[ "$(stat -c %U:%G:%a /etc/keyward)" = root:keyward:750 ] || fail "/etc/keyward is $(stat -c %U:%G:%a /etc/keyward)"
[ "$(systemctl is-enabled keywardd.socket)" = enabled ] || fail "keywardd.socket is not enabled"
[ "$(unit_property keywardd.socket ActiveState)" = active ] || fail "keywardd.socket is not active"
! ldd /usr/bin/keywardd /usr/bin/keywardctl /usr/libexec/keyward/keyward-store | grep -q 'not found' ||
    fail "a library is missing: $(ldd /usr/bin/keywardd | grep 'not found')"
man -w keywardd.toml >/dev/null && man -w keywardd >/dev/null && man -w keywardctl >/dev/null ||
    fail "the man pages are not installed"
ok "installed $first_version: user keyward, /var/lib/keyward keyward:700, /etc/keyward root:keyward:750, socket enabled and listening, man pages"

# 2. A payment service's user and its grant, as "Granting a service" says (the edit it
#    describes is made here first).
useradd --system --no-create-home --groups keyward payments
python3 - <<'PY'
import re
path = "/etc/keyward/keywardd.toml"
text = open(path).read()
head, live = text.split("[mode.live]", 1)
live = re.sub(r'^signers = \[\]$', 'signers = ["user:payments"]', live, count=1, flags=re.M)
open(path, "w").write(head + "[mode.live]" + live)
PY
grep -q 'signers = \["user:payments"\]' /etc/keyward/keywardd.toml || fail "the grant was not written"
run_doc_block operations.md "Granting a service"
ok "the Granting a service steps ran: [mode.live] signers = [\"user:payments\"], checked and reloaded"

# 3. The walk-through: first setup and an own-keys replacement, with stand-in platform keys.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out platform.pem 2>/dev/null
openssl pkey -in platform.pem -pubout -out alipay_public_key.txt
run_doc_block operations.md "First setup of a mode"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out platform.pem 2>/dev/null
openssl pkey -in platform.pem -pubout -out alipay_public_key.txt
run_doc_block operations.md "Replacing keys later"
before=$(keywardctl get live --json) || fail "keywardctl get live failed"
grep -q '"version" *: *2' <<<"$before" || fail "the walk-through did not make live v2"
signed=$(runuser -u payments -- keywardctl sign live --text 'app_id=2021001100600000&method=alipay.trade.query') ||
    fail "the granted service user cannot sign: $signed"
ok "the walk-through ran on the packaged binaries: live v2 committed; user payments signs with it"

credential_sum=$(sha256sum /etc/keyward/master-key.cred | cut -d' ' -f1)
audit_lines=$(wc -l </var/lib/keyward/audit.log)
config_sum=$(sha256sum /etc/keyward/keywardd.toml | cut -d' ' -f1)
pid_before=$(unit_property keywardd.service MainPID)

# 4. The upgrade, under a read load through the socket.
rm -f stop-load
runuser -u payments -- python3 "$src/Tests/system/read-load.py" "$KEYWARD_SOCKET" /v1/keysets/live "$work/stop-load" 120 >load.json &
load_pid=$!
sleep 2
cp "$second" .
apt-get install "${apt_quiet[@]}" "./$(basename "$second")" >upgrade.log 2>&1 || { cat upgrade.log >&2; fail "apt install of $second_version failed"; }
wait_for 30 bash -c "[ \"\$(systemctl show -P ActiveState keywardd.service)\" = active ]" || fail "keywardd is not active after the upgrade"
sleep 2
touch stop-load
wait "$load_pid" || fail "the read load ended with an error: $(cat load.json)"
! grep -q 'did not start again' upgrade.log || fail "the upgrade says keywardd did not start: $(cat upgrade.log)"
[ "$(dpkg-query -W -f='${Version}' keyward)" = "$second_version" ] || fail "keyward $second_version is not installed"
pid_after=$(unit_property keywardd.service MainPID)
[ "$pid_after" != "$pid_before" ] || fail "the upgrade did not restart keywardd (pid $pid_before)"
python3 - "$(cat load.json)" <<'PY' || fail "requests failed during the upgrade: $(cat load.json)"
import json, sys
load = json.loads(sys.argv[1])
sys.exit(0 if load["requests"] > 0 and load["failures"] == 0 else 1)
PY
ok "upgrade $first_version -> $second_version under a read load: keywardd restarted (pid $pid_before -> $pid_after), socket kept; load $(cat load.json)"

after=$(keywardctl get live --json) || fail "keywardctl get live failed after the upgrade"
same_key_set "$before" "$after" || fail "the upgraded daemon serves another live set"
[ "$(sha256sum /etc/keyward/master-key.cred | cut -d' ' -f1)" = "$credential_sum" ] || fail "the upgrade changed the master-key credential"
[ "$(sha256sum /etc/keyward/keywardd.toml | cut -d' ' -f1)" = "$config_sum" ] || fail "the upgrade changed the edited keywardd.toml"
[ "$(stat -c %U:%G:%a /etc/keyward)" = root:keyward:750 ] || fail "after the upgrade /etc/keyward is $(stat -c %U:%G:%a /etc/keyward)"
[ "$(stat -c %U:%a /var/lib/keyward)" = keyward:700 ] || fail "after the upgrade /var/lib/keyward is $(stat -c %U:%a /var/lib/keyward)"
[ "$(wc -l </var/lib/keyward/audit.log)" -ge "$audit_lines" ] || fail "the audit log lost entries in the upgrade"
keywardctl audit --verify >verify.txt || fail "the audit log does not verify after the upgrade: $(cat verify.txt)"
journalctl --no-pager -q -u keywardd.service _PID="$pid_before" | grep -q . || fail "the journal lost the old daemon's entries"
compared=$(keywardctl audit --verify --against-journal) || fail "the audit log does not match its journal copies after the upgrade: $compared"
runuser -u payments -- keywardctl sign live --text 'app_id=2021001100600000&method=alipay.trade.query' >/dev/null ||
    fail "the granted service user cannot sign after the upgrade"
ok "after the upgrade: live v2 as before, credential and edited keywardd.toml unchanged, audit chain intact ($(head -1 verify.txt)), journal kept, grant still in force"

# 5. apt remove: the daemon stops, every file of state stays (the configuration too).
apt-get remove "${apt_quiet[@]}" keyward >remove.log 2>&1 || { cat remove.log >&2; fail "apt remove failed"; }
[ "$(unit_property keywardd.service ActiveState)" != active ] || fail "keywardd still runs after apt remove"
[ "$(unit_property keywardd.socket ActiveState)" != active ] || fail "keywardd.socket still listens after apt remove"
[ -e /etc/keyward/keywardd.toml ] || fail "apt remove deleted the configuration"
for file in /var/lib/keyward/vault.kwv /var/lib/keyward/audit.log /etc/keyward/master-key.cred; do
    [ -e "$file" ] || fail "apt remove deleted $file"
done
ok "apt remove: keywardd and its socket stopped; vault, audit log, credential and configuration kept"

# 6. apt purge: the configuration goes, the keys stay, and the operator is told where they are.
vault_sum=$(sha256sum /var/lib/keyward/vault.kwv | cut -d' ' -f1)
apt-get purge "${apt_quiet[@]}" keyward >purge.log 2>&1 || { cat purge.log >&2; fail "apt purge failed"; }
[ ! -e /etc/keyward/keywardd.toml ] || fail "apt purge left the configuration"
[ "$(sha256sum /var/lib/keyward/vault.kwv | cut -d' ' -f1)" = "$vault_sum" ] || fail "apt purge changed the vault"
[ "$(sha256sum /etc/keyward/master-key.cred | cut -d' ' -f1)" = "$credential_sum" ] || fail "apt purge changed or removed the credential"
[ -s /var/lib/keyward/audit.log ] || fail "apt purge removed the audit log"
grep -q '/var/lib/keyward' purge.log && grep -q '/etc/keyward/master-key.cred' purge.log && grep -q 'rm -rf' purge.log ||
    fail "apt purge did not say where the state is and how to destroy it: $(cat purge.log)"
ok "apt purge: configuration removed; vault, audit log and credential kept, and named: $(grep -A3 'state is kept' purge.log | tr '\n' ' ')"

# 7. Installed again after the purge: the kept vault is found and served as before.
apt-get install "${apt_quiet[@]}" "./$(basename "$first")" >reinstall.log 2>&1 || { cat reinstall.log >&2; fail "reinstall failed"; }
grep -q 'found the vault' reinstall.log || fail "the reinstall did not notice the kept vault: $(cat reinstall.log)"
systemctl enable --now keywardd.socket
again=$(keywardctl get live --json) || fail "keywardctl get live failed after the reinstall"
same_key_set "$before" "$again" || fail "after purge and reinstall the daemon serves another live set"
keywardctl audit --verify >/dev/null || fail "the audit log does not verify after the reinstall"
ok "installed again after the purge: the kept vault serves live v2 as before, audit chain intact"

ok "all package steps passed"
