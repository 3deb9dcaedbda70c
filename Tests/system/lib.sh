# Helpers of the real-systemd scenarios (sourced). Every check prints one "ok:" line; the
# first failure prints what systemd and the journal know, and ends the run.
src=/keyward/src
bin=/keyward/bin
export KEYWARD_SOCKET=/run/keyward/keyward.sock
# Further units whose status and journal a failure shows (beside keywardd's).
extra_units=()

ok() { echo "ok: $*"; }
fail() {
    set +x
    echo "FAILED: $*" >&2
    for unit in keywardd.service keywardd.socket "${extra_units[@]}"; do
        echo "--- systemctl status $unit" >&2
        systemctl status --no-pager --full "$unit" >&2 || true
        echo "--- journalctl -u $unit" >&2
        journalctl --no-pager -u "$unit" -n 60 >&2 || true
    done
    exit 1
}
# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
    local seconds=$1
    shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.2
    done
}
unit_property() { systemctl show -P "$2" "$1"; }
# The journal of a unit as its process wrote it, one message a line.
unit_log() { journalctl --no-pager -q -o cat -u "$1"; }
# How many lines the unit has logged so far: a mark for unit_logged_since.
unit_log_mark() { unit_log "$1" | wc -l; }
# Whether the unit logged a line matching $3 after mark $2.
unit_logged_since() { unit_log "$1" | tail -n +"$(($2 + 1))" | grep -qE "$3"; }

# Whether two `keywardctl get MODE --json` answers are the same key set: version, both public
# keys and the identity.
same_key_set() {
    python3 - "$1" "$2" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
keys = ("version", "merchantPublicKey", "platformPublicKey", "pid", "appID")
sys.exit(0 if all(a.get(k) == b.get(k) for k in keys) else 1)
PY
}

# The ```LANG blocks (default sh) under a "## HEADING" of docs/FILE, as written.
doc_block() {
    awk -v heading="## $2" -v fence="\`\`\`${3:-sh}" '
        /^## / { inside = index($0, heading) == 1 }
        inside && $0 == fence { code = 1; next }
        code && /^```$/ { code = 0; next }
        inside && code { print }
    ' "$src/docs/$1"
}

# Runs the sh blocks under a heading of docs/FILE here, traced, stopping at the first
# command that fails.
run_doc_block() {
    local steps
    steps=$(doc_block "$1" "$2")
    [ -n "$steps" ] || fail "docs/$1 has no sh block under '## $2'"
    set -x
    eval "$steps"
    set +x
}
