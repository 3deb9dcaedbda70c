#!/usr/bin/env bash
# Keyward from the shell with curl --unix-socket: the same calls as docs/api.md.
#   examples/shell/keyward.sh SOCKET MODE
set -euo pipefail
S="$1"
MODE="$2"
api() { curl -sS --fail-with-body --unix-socket "$S" "$@"; }

api http://keyward/v1/health; echo
# The current key set (public parts; the private key only where the mode exports it).
api "http://keyward/v1/keysets/$MODE" | head -c 200; echo
# Have Keyward sign an open-platform string (sorted key=value&…).
api -d '{"text":"app_id=2021001100600000&method=alipay.trade.query&sign_type=RSA2"}' "http://keyward/v1/keysets/$MODE/sign"; echo
# Watch: hold until the next commit (or 2 s here), using the ETag.
etag=$(curl -sS -o /dev/null -D - --unix-socket "$S" "http://keyward/v1/keysets/$MODE" | awk -F': ' 'tolower($1)=="etag"{print $2}' | tr -d '\r')
curl -sS -o /dev/null -w 'watch: HTTP %{http_code}\n' --unix-socket "$S" -H "If-None-Match: $etag" "http://keyward/v1/keysets/$MODE?wait=2"
