#!/usr/bin/env bash
# Runs inside the container booted by scripts/systemd-container, after real-systemd-scenario.sh
# (Keyward installed, live v2 served). Keyward as a payment company runs it:
#   - payment services under units of their own: one with a static User=payments that reaches
#     the socket through SupplementaryGroups=keyward, one with DynamicUser=yes whose signer
#     grant holds only through SupplementaryGroups= (a group:… grant read from the kernel);
#   - a human operator who is not root (user ops, operator of test mode only) sets up test
#     mode, rotates and rolls back while the services run: they see each new set through the
#     watch, without a restart, and every signature verifies with the version it names;
#   - a service with no grant gets 403, and the audit log names its real uid;
#   - a fleet node on a PostgreSQL of the same host (Unix socket /run/postgresql) under the
#     shipped unit's ProtectSystem=strict / PrivateNetwork=yes, with the drop-in of docs/fleet.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
extra_units=(payments.service payments-dynamic.service payments-ungranted.service)

# 1. The people and services of the host. payments is in no group but its own: the unit gives
#    it group keyward (the socket) and nothing else.
useradd --system --no-create-home --shell /usr/sbin/nologin payments
groupadd --system keyward-signers
useradd --create-home --shell /bin/bash ops
usermod -aG keyward ops
ops_home=/home/ops
as_ops() { (cd "$ops_home" && setpriv --reuid=ops --regid=ops --init-groups env HOME="$ops_home" KEYWARD_SOCKET="$KEYWARD_SOCKET" "$@"); }
ok "users payments (static service user), ops (operator, in group keyward) and group keyward-signers exist"

# 2. The grants, checked and applied by a reload, as docs/operations.md says.
systemctl start keywardd.socket
keywardctl status >/dev/null || fail "keywardd did not start"
sed -i '/^\[mode.test\]/,/^\[/ {
    s/^signers = .*/signers = ["user:payments", "group:keyward-signers"]/
    s/^operators = .*/operators = ["user:ops"]/
}' /etc/keyward/keywardd.toml
keywardd --check-config /etc/keyward/keywardd.toml || fail "keywardd --check-config refused the grants"
systemctl reload keywardd.service || fail "systemctl reload keywardd failed"
ok "grants: test signers user:payments and group:keyward-signers, test operator user:ops (reloaded)"

# 3. ops sets up test mode: not root, an operator of test mode only.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$ops_home/platform.pem" 2>/dev/null
openssl pkey -in "$ops_home/platform.pem" -pubout -out "$ops_home/alipay_public_key.txt"
chown ops:ops "$ops_home"/platform.pem "$ops_home"/alipay_public_key.txt
as_ops keywardctl setup test --pid 2088102122136242 --app-id 2021000122600001 || fail "ops could not set up test mode"
as_ops keywardctl rotate test --generate >/dev/null || fail "ops could not begin a test rotation"
as_ops keywardctl platform-key test --platform-key alipay_public_key.txt >/dev/null || fail "ops could not give the platform key"
as_ops keywardctl commit test >/dev/null || fail "ops could not commit test v1"
as_ops keywardctl activate test >/dev/null || fail "ops could not activate test mode"
as_ops keywardctl get test --json | grep -q '"version" *: *1' || fail "test v1 is not served to ops"
refused=$(as_ops keywardctl commit live 2>&1) && fail "ops, an operator of test mode only, committed live: $refused"
echo "$refused" | grep -q "auth.forbidden" || fail "ops's live commit was refused without auth.forbidden: $refused"
ok "ops (uid $(id -u ops)) set up, rotated, committed and activated test v1; a live commit is refused (auth.forbidden)"

# 4. Two payment services, each with its own hardening.
service_unit() {
    local name=$1 identity=$2
    cat >"/etc/systemd/system/$name.service" <<EOF
[Unit]
Description=Payment service ($name): watches the test key set and signs through Keyward
After=keywardd.socket
Wants=keywardd.socket

[Service]
$identity
ExecStart=/usr/bin/python3 -u $src/Tests/system/payment-service.py /run/keyward/keyward.sock test
Restart=no
NoNewPrivileges=yes
CapabilityBoundingSet=
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
PrivateNetwork=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_UNIX
RestrictNamespaces=yes
LockPersonality=yes
SystemCallArchitectures=native
EOF
}
service_unit payments "User=payments
Group=payments
SupplementaryGroups=keyward"
service_unit payments-dynamic "DynamicUser=yes
SupplementaryGroups=keyward keyward-signers"
systemctl daemon-reload
systemctl start payments.service payments-dynamic.service
for unit in payments payments-dynamic; do
    wait_for 30 bash -c "journalctl -q -o cat -u $unit.service | grep -q 'signed: test v1 verified'" ||
        fail "$unit did not sign with test v1: $(unit_log $unit.service | tail -5)"
done
payments_pid=$(unit_property payments.service MainPID)
dynamic_pid=$(unit_property payments-dynamic.service MainPID)
dynamic_uid=$(stat -c %u /proc/"$dynamic_pid")
ok "payments (uid $(id -u payments)) and payments-dynamic (DynamicUser uid $dynamic_uid, signer through SupplementaryGroups=) signed with test v1"

# Marks the services' journals now; services_follow VERSION WHAT then checks that after the mark
# each service was given VERSION by its watch and signed with it.
mark_services() { marks=("$(unit_log_mark payments.service)" "$(unit_log_mark payments-dynamic.service)"); }
services_follow() {
    local version=$1 what=$2 index=0 unit
    for unit in payments payments-dynamic; do
        wait_for 30 unit_logged_since "$unit.service" "${marks[$index]}" "^signed: test v$version verified" ||
            fail "$unit did not sign with test v$version after $what: $(unit_log $unit.service | tail -5)"
        unit_logged_since "$unit.service" "${marks[$index]}" "^watch: test v$version" || fail "$unit was not given v$version by its watch"
        index=$((index + 1))
    done
}

# 5. ops rotates test mode while the services run, by the dashboard's one-click replacement
#    (the dashboard made the pair and showed its private key once), and gives test mode its
#    Alipay+ Client-ID with it: staged, it goes live with the new keys at the commit.
mark_services
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$ops_home/dashboard_private_key.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$ops_home/platform.pem" 2>/dev/null
openssl pkey -in "$ops_home/platform.pem" -pubout -out "$ops_home/alipay_public_key.txt"
chown ops:ops "$ops_home"/dashboard_private_key.pem "$ops_home"/platform.pem "$ops_home"/alipay_public_key.txt
begun=$(as_ops keywardctl rotate test --one-click --private-key dashboard_private_key.pem --platform-key alipay_public_key.txt) ||
    fail "ops could not begin a one-click rotation"
echo "$begun" | grep -q "ready" || fail "ops's one-click rotation is not ready to commit: $begun"
staged=$(as_ops keywardctl setup test --client-id SANDBOX_PAYMENTS00000001) || fail "ops could not stage the Client-ID"
echo "$staged" | grep -q "is staged" || fail "the Client-ID was not staged: $staged"
served=$(as_ops keywardctl get test --json) || fail "keywardctl get test failed"
echo "$served" | grep -q 'SANDBOX_PAYMENTS00000001' && fail "a staged Client-ID was served before the commit"
as_ops keywardctl commit test >/dev/null || fail "ops could not commit test v2"
services_follow 2 "the commit"
served=$(as_ops keywardctl get test --json) || fail "keywardctl get test failed"
echo "$served" | grep -q '"clientID":"SANDBOX_PAYMENTS00000001"' || fail "v2 is not served with its Client-ID"
[ "$(unit_property payments.service MainPID)" = "$payments_pid" ] || fail "payments was restarted"
[ "$(unit_property payments-dynamic.service MainPID)" = "$dynamic_pid" ] || fail "payments-dynamic was restarted"
ok "after ops's one-click commit (with a staged Client-ID) both services got test v2 through their watch (same pids) and their v2 signatures verify"

# 6. ops rolls back: the services are given v1 again and sign with it.
mark_services
as_ops keywardctl rollback test --to 1 >/dev/null || fail "ops could not roll test back to v1"
services_follow 1 "the rollback"
served=$(as_ops keywardctl get test --json) || fail "keywardctl get test failed"
echo "$served" | grep -q 'SANDBOX_PAYMENTS00000001' && fail "the rollback to v1 kept v2's Client-ID"
second=$(as_ops keywardctl rollback test --to 1 2>&1) && fail "a second rollback --to 1 went ahead: $second"
echo "$second" | grep -q "rotation.rollback-target-mismatch" || fail "a second rollback --to 1 was refused without its code: $second"
! unit_log payments.service | grep -q FAILED || fail "payments logged a failure: $(unit_log payments.service | grep FAILED)"
! unit_log payments-dynamic.service | grep -q FAILED || fail "payments-dynamic logged a failure"
ok "after ops's rollback --to 1 both services got test v1 (and its identity) back through their watch and sign with it"

# 6b. Two-person control: with approvals = 2, ops's commit waits for a second operator; ops may
#     not approve it; root (another uid, an operator of every mode) approves and it happens.
sed -i '/^\[mode.test\]/,/^\[/ s/^approvals = .*/approvals = 2/' /etc/keyward/keywardd.toml
keywardd --check-config /etc/keyward/keywardd.toml || fail "keywardd --check-config refused approvals = 2"
systemctl reload keywardd.service || fail "systemctl reload keywardd failed"
mark_services
as_ops keywardctl rotate test --generate >/dev/null || fail "ops could not begin the third test rotation"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$ops_home/platform.pem" 2>/dev/null
openssl pkey -in "$ops_home/platform.pem" -pubout -out "$ops_home/alipay_public_key.txt"
chown ops:ops "$ops_home"/platform.pem "$ops_home"/alipay_public_key.txt
as_ops keywardctl platform-key test --platform-key alipay_public_key.txt >/dev/null || fail "ops could not give the third platform key"
requested=$(as_ops keywardctl commit test --json) || fail "ops's commit under two-person control failed: $requested"
request_id=$(echo "$requested" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
[ -n "$request_id" ] || fail "the commit did not become a request: $requested"
own=$(as_ops keywardctl approve test "$request_id" 2>&1) && fail "ops approved its own request: $own"
echo "$own" | grep -q "approval.same-operator" || fail "ops's own approval was refused without approval.same-operator: $own"
served=$(as_ops keywardctl get test --json) || fail "keywardctl get test failed"
echo "$served" | grep -qE '"version":1[,}]' || fail "the commit happened before a second operator approved it: $served"
keywardctl approve test "$request_id" >/dev/null || fail "root could not approve ops's request"
services_follow 3 "the approved commit"
keywardctl audit --json | python3 -c '
import json, sys
entries = [e for e in json.load(sys.stdin)["entries"] if e["action"] != "export-private-key"]
actions = [(e["action"], e["actor"]["uid"]) for e in entries[-3:]]
assert [a for a, _ in actions] == ["request-approval", "approve", "commit"], actions
assert actions[0][1] != actions[1][1] == actions[2][1] == 0, actions
' || fail "the audit log does not show request-approval, approve and commit"
sed -i '/^\[mode.test\]/,/^\[/ s/^approvals = .*/approvals = 1/' /etc/keyward/keywardd.toml
systemctl reload keywardd.service || fail "systemctl reload keywardd failed"
ok "two-person control: ops's commit waited, ops could not approve it, root's approval committed test v3 and both services follow"

# 7. A service with no grant (it may open the socket, group keyward, but has no role): 403,
#    and the audit log names its real uid.
cat >/etc/systemd/system/payments-ungranted.service <<EOF
[Unit]
Description=A service without a Keyward grant
[Service]
Type=oneshot
DynamicUser=yes
SupplementaryGroups=keyward
ExecStart=/bin/sh -c 'echo "uid \$(id -u)"; exec /usr/bin/keywardctl get test --json'
EOF
systemctl daemon-reload
systemctl start payments-ungranted.service && fail "payments-ungranted was not refused"
ungranted_uid=$(unit_log payments-ungranted.service | sed -n 's/^uid \([0-9]*\)$/\1/p' | tail -1)
[ -n "$ungranted_uid" ] || fail "payments-ungranted did not say its uid"
unit_log payments-ungranted.service | grep -q "auth.forbidden" || fail "payments-ungranted got no auth.forbidden: $(unit_log payments-ungranted.service)"
unit_log payments-ungranted.service | grep -q "uid $ungranted_uid is not a reader of test mode" ||
    fail "the refusal does not name uid $ungranted_uid: $(unit_log payments-ungranted.service)"
as_ops keywardctl audit --json >audit.json || fail "ops could not read the audit log"
python3 - "$ungranted_uid" audit.json <<'EOF' || fail "no audited refusal of uid $ungranted_uid"
import json, sys
uid, entries = int(sys.argv[1]), json.load(open(sys.argv[2]))["entries"]
refused = [e for e in entries if e["actor"]["uid"] == uid and e["outcome"] == "refused"]
# The peer's process: its unit from its cgroup (set by systemd), its command name.
sys.exit(0 if any(e["actor"].get("unit") == "payments-ungranted.service" and e["actor"].get("command") for e in refused) else 1)
EOF
ok "payments-ungranted (uid $ungranted_uid) got 403 auth.forbidden naming its uid, and the refusal is audited with it and its unit"
systemctl stop payments.service payments-dynamic.service

# 8. A fleet node on a PostgreSQL of the same host, over its Unix socket, as docs/fleet.md says.
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
install -d -o postgres -g postgres -m 0700 /var/lib/keyward-pg
install -d -o postgres -g postgres -m 2775 /run/postgresql
setpriv --reuid=postgres --regid=postgres --init-groups "$pg_bin/initdb" -D /var/lib/keyward-pg --auth-local=peer --auth-host=reject >/dev/null ||
    fail "initdb failed"
systemd-run --unit=keyward-test-postgresql --uid=postgres --gid=postgres \
    "$pg_bin/postgres" -D /var/lib/keyward-pg -k /run/postgresql -c listen_addresses= >/dev/null
extra_units+=(keyward-test-postgresql.service)
wait_for 30 setpriv --reuid=postgres --regid=postgres --init-groups psql -h /run/postgresql -Atc "select 1" ||
    fail "PostgreSQL did not start"
mkdir -p /etc/systemd/system/keywardd.service.d
doc_block fleet.md "A PostgreSQL on the same host" ini >/etc/systemd/system/keywardd.service.d/fleet.conf
[ -s /etc/systemd/system/keywardd.service.d/fleet.conf ] || fail "docs/fleet.md shows no drop-in for a local PostgreSQL"
doc_block fleet.md "A PostgreSQL on the same host" toml >store.toml
[ -s store.toml ] || fail "docs/fleet.md shows no [store] table for a local PostgreSQL"
sed -i '/^\[store\]/,/^\[/ { /^kind = "file"/d }' /etc/keyward/keywardd.toml
sed -i '/^\[store\]$/d' /etc/keyward/keywardd.toml
cat store.toml >>/etc/keyward/keywardd.toml
keywardd --check-config /etc/keyward/keywardd.toml || fail "the [store] table of docs/fleet.md is refused"
systemctl daemon-reload
run_doc_block fleet.md "A PostgreSQL on the same host"
generation() { setpriv --reuid=postgres --regid=postgres --init-groups psql -h /run/postgresql -d keyward -Atc "select generation from keyward_vault"; }
before=$(generation)
[ -n "$before" ] || fail "the store holds no vault after the docs' steps"
grep -q '^PrivateNetwork=yes' /usr/lib/systemd/system/keywardd.service || fail "the shipped unit lost PrivateNetwork=yes"
[ "$(unit_property keywardd.service PrivateNetwork)" = yes ] || fail "the drop-in turned PrivateNetwork off"
[ "$(unit_property keywardd.service ProtectSystem)" = strict ] || fail "the drop-in changed ProtectSystem"
as_ops keywardctl status | grep -qi "postgres" || fail "keywardctl status does not show the PostgreSQL store: $(as_ops keywardctl status)"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$ops_home/platform.pem" 2>/dev/null
openssl pkey -in "$ops_home/platform.pem" -pubout -out "$ops_home/alipay_public_key.txt"
as_ops keywardctl rotate test --generate >/dev/null || fail "a rotation on the fleet node could not begin"
as_ops keywardctl platform-key test --platform-key alipay_public_key.txt >/dev/null || fail "platform-key on the fleet node failed"
as_ops keywardctl commit test >/dev/null || fail "a commit on the fleet node failed"
after=$(generation)
[ "$after" -gt "$before" ] || fail "the commit did not reach PostgreSQL (generation $before, then $after)"
ok "a fleet node under ProtectSystem=strict and PrivateNetwork=yes keeps its vault in PostgreSQL over /run/postgresql (generation $before -> $after)"
# 9. Test mode moves to certificate mode on the fleet node, as docs/operations.md says (a
#    switch of methods is a rotation). The dashboard's CA is stood in for by openssl: an RSA
#    root and an EC root in the root file, an issuing CA, and certificates that carry it after
#    the leaf, valid 30 days (so they are due soon).
cd "$(mktemp -d)"
run_doc_block operations.md "Certificate mode (公钥证书)"
[ -s test.csr ] || fail "the docs' csr step wrote no test.csr"
ca() { openssl "$@" >/dev/null 2>&1 || fail "openssl $*"; }
ca req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 60 -sha256 -subj "/C=CN/O=Stand-in/OU=CA/CN=Stand-in Root"
ca req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.pem -days 60 -subj "/C=CN/O=Stand-in/OU=EC/CN=Stand-in EC Root"
printf 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n' >ca.ext
ca req -newkey rsa:2048 -nodes -keyout ca.key -out ca.csr -subj "/C=CN/O=Stand-in/OU=CA/CN=Stand-in Class 2 R1"
ca x509 -req -in ca.csr -CA root.pem -CAkey root.key -set_serial 1001 -days 60 -sha256 -extfile ca.ext -out ca.pem
{ cat root.pem; echo; cat ec.pem; } >alipayRootCert.crt
ca x509 -req -in test.csr -CA ca.pem -CAkey ca.key -set_serial 4242 -days 30 -sha256 -out app.pem
cat app.pem ca.pem >appCertPublicKey_2021000122600001.crt
ca req -newkey rsa:2048 -nodes -keyout alipay.key -out alipay.csr -subj "/C=CN/O=Stand-in Alipay/OU=Open Platform/CN=Stand-in Alipay Cert"
ca x509 -req -in alipay.csr -CA ca.pem -CAkey ca.key -set_serial 777 -days 30 -sha256 -out alipay.pem
cat alipay.pem ca.pem >alipayCertPublicKey_RSA2.crt
run_doc_block operations.md "Certificate mode: the three files"
keywardctl status --json >status.json || fail "keywardctl status failed"
grep -q '"signingMethod" *: *"certificate"' status.json || fail "test mode is not in certificate mode: $(head -c 600 status.json)"
ok "the certificate-mode steps of docs/operations.md ran on the fleet node: test in certificate mode"
app_sn=$(keywardctl key cert-sn appCertPublicKey_2021000122600001.crt) || fail "key cert-sn failed"
metrics=$(python3 -c 'import http.client, socket
class C(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX); self.sock.connect("/run/keyward/keyward.sock")
c = C("keyward"); c.request("GET", "/metrics"); print(c.getresponse().read().decode())') || fail "GET /metrics failed"
case "$metrics" in
*"keyward_certificate_expiry_timestamp_seconds{mode=\"test\",certificate=\"app\",sn=\"$app_sn\"}"*) ;;
*) fail "no expiry gauge for the app certificate $app_sn" ;;
esac
wait_for 5 bash -c "systemctl show -P StatusText keywardd.service | grep -q 'certificate'" ||
    fail "StatusText is '$(unit_property keywardd.service StatusText)': no certificate due soon"
ok "the app certificate's expiry is a gauge and, due within 30 days, in systemd STATUS"

ok "all payment-service steps passed"
