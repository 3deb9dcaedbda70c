#!/usr/bin/env bash
# Tests/package/check-binaries.sh DEB [DBGSYM_DEB]: every binary the package ships runs on a host
# without a Swift toolchain. For each ELF file in the package: its NEEDED libraries are within
# the allow-list below (Debian 12 packages that every host has or that Depends: names), no
# RUNPATH or RPATH, no symbol table (stripped; the symbols are in the -dbgsym package, matched
# by build ID); then, with /opt/swift hidden under an empty tmpfs, each runs: --version,
# keywardctl key generate, keywardd --check-config on the packaged configuration.
# Prints one "ok:" line per check; exits 1 at the first failure.
set -euo pipefail
deb=$(realpath "$1")
dbgsym=${2:-$(dirname "$deb")/$(basename "$deb" | sed 's/^keyward_/keyward-dbgsym_/')}
# glibc (libc6), libstdc++6, libgcc-s1, libssl3, libsystemd0, zlib1g.
allowed="libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 ld-linux-x86-64.so.2
libstdc++.so.6 libgcc_s.so.1 libssl.so.3 libcrypto.so.3 libsystemd.so.0 libz.so.1"
toolchain=${KEYWARD_TOOLCHAIN_DIR:-/opt/swift}

fail() { echo "FAILED: $*" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root/pkg"
[ -f "$dbgsym" ] || fail "no debug-symbol package beside $deb ($dbgsym)"
dpkg-deb -x "$dbgsym" "$root/dbg"

binaries=()
while IFS= read -r file; do
    file -b "$file" | grep -q '^ELF' && binaries+=("$file")
done < <(find "$root/pkg" -type f -perm -u+x | sort)
[ ${#binaries[@]} -ge 3 ] || fail "the package holds ${#binaries[@]} ELF binaries, expected keywardd, keywardctl and keyward-store"

for binary in "${binaries[@]}"; do
    name=${binary#"$root/pkg"}
    dynamic=$(readelf -d "$binary")
    needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dynamic")
    for library in $needed; do
        grep -qx -- "$library" <<<"$(tr ' ' '\n' <<<"$allowed")" ||
            fail "$name needs $library, which is not in the allow-list of Debian 12 libraries"
    done
    ! grep -qE '\((RUNPATH|RPATH)\)' <<<"$dynamic" || fail "$name has a search path: $(grep -E 'RUNPATH|RPATH' <<<"$dynamic")"
    ! readelf -S "$binary" | grep -q '\.symtab' || fail "$name is not stripped"
    build_id=$(readelf -n "$binary" | sed -n 's/.*Build ID: \([0-9a-f]*\)/\1/p')
    [ -n "$build_id" ] || fail "$name has no build ID"
    debug="$root/dbg/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug"
    [ -f "$debug" ] || fail "$name: no debug symbols for build ID $build_id in $(basename "$dbgsym")"
    readelf -S "$debug" 2>/dev/null | grep -q '\.symtab' || fail "$name: $debug holds no symbols"
    ok_size=$(stat -c %s "$binary")
    echo "ok: $name: needs $(echo $needed | tr ' ' ','); no search path; stripped ($((ok_size / 1048576)) MiB), symbols in $(basename "$dbgsym")"
done

# Run them with the toolchain hidden, as on a payment host that never had one.
[ -d "$toolchain" ] || echo "note: $toolchain does not exist here; the binaries run without it anyway"
bin=$root/pkg/usr/bin
store=$root/pkg/usr/libexec/keyward/keyward-store
run_bare() {
    unshare --mount sh -c "{ [ ! -d '$toolchain' ] || mount -t tmpfs none '$toolchain'; } && cd '$root' && $*"
}
if ! unshare --mount true 2>/dev/null; then
    fail "cannot hide $toolchain: 'unshare --mount' needs root (run as root, as CI does)"
fi
[ -z "$(run_bare "ls -A '$toolchain' 2>/dev/null")" ] || fail "$toolchain is still visible inside the test namespace"
version=$(run_bare "'$bin/keywardd' --version") || fail "keywardd --version does not run without the toolchain: $version"
echo "ok: without $toolchain: $version"
version=$(run_bare "'$bin/keywardctl' --version") || fail "keywardctl --version does not run without the toolchain: $version"
echo "ok: without $toolchain: keywardctl $version"
version=$(run_bare "'$store' --version") || fail "keyward-store --version does not run without the toolchain: $version"
echo "ok: without $toolchain: keyward-store $version"
out=$(run_bare "'$bin/keywardctl' key generate merchant 2>&1") || fail "keywardctl key generate failed without the toolchain: $out"
openssl pkey -in "$root/merchant_private_key.pem" -noout 2>/dev/null ||
    openssl pkey -in "$(ls "$root"/merchant_private_key.* | head -1)" -noout ||
    fail "keywardctl key generate wrote no key openssl reads: $(ls "$root")"
echo "ok: without $toolchain: keywardctl key generate wrote a key pair openssl reads"
out=$(run_bare "'$bin/keywardd' --check-config '$root/pkg/etc/keyward/keywardd.toml' 2>&1") ||
    fail "keywardd --check-config on the packaged configuration failed without the toolchain: $out"
echo "ok: without $toolchain: keywardd --check-config accepts the packaged /etc/keyward/keywardd.toml"
echo "ok: installed size $(dpkg-deb -f "$deb" Installed-Size) KiB; Depends: $(dpkg-deb -f "$deb" Depends)"
