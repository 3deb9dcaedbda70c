#!/usr/bin/env bash
# Tests/package/lintian.sh DEB: lintian finds no error and no warning in the package (each
# override in debian/keyward.lintian-overrides carries its one-line reason, and an override that
# no longer matches anything is itself a finding). Prints what lintian said.
set -euo pipefail
deb=$1
status=0
out=$(lintian --fail-on error,warning --display-info "$deb" 2>&1) || status=$?
out=$(grep -v '^running with root privileges' <<<"$out" || true)
[ "$status" = 0 ] || {
    echo "$out" >&2
    echo "FAILED: lintian found errors or warnings in $(basename "$deb")" >&2
    exit 1
}
unused=$(grep -E 'unused-override|mismatched-override' <<<"$out" || true)
[ -z "$unused" ] || { echo "FAILED: lintian overrides that match nothing: $unused" >&2; exit 1; }
# Informational tags are shown as counts (spelling-error-in-binary comes from the statically
# linked ICU and BoringSSL strings).
[ -z "$out" ] || sort <<<"$out" | sed -n 's/^\([EWI]\): [^ ]* \([^ ]*\).*/\1: \2/p' | uniq -c
echo "ok: lintian: no errors or warnings in $(basename "$deb")"
