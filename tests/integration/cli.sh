#!/usr/bin/env bash
# The helper's command line as a user meets it: help, version, genkey, and one clear line with exit code 2 for
# each kind of bad input (no network is opened for any of them).
# Usage: cli.sh NIMBUS_HELPER NIMBUSCTL
set -uo pipefail
helper=$1
nimbusctl=$2
tmp=$(mktemp -d /tmp/nimcli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failures=0
check()
{
    local expected_code=$1 expected_text=$2; shift 2
    local out code
    out=$(unshare -n "$@" 2>&1 </dev/null) # a private network namespace: nothing can touch the host's network
    code=$?
    if [ "$code" != "$expected_code" ] || ! grep -qF -- "$expected_text" <<<"$out"; then
        echo "FAIL: $* -> exit $code, output: $out (expected exit $expected_code and '$expected_text')"
        failures=$((failures + 1))
    else
        echo "ok: $* -> $code"
    fi
}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for unshare -n"; exit 77; }

check 0 "Usage: nimbus-helper" "$helper" --help
check 0 "VpnCloud 2.4.0 compatible" "$helper" --version
check 0 "Private key: OcNT14Czd82FN9R7Bms8WW0ZX50TO7SoA99yGK2Rmyz" "$helper" genkey -p test
check 0 "Public key: PQGYPnaB8PV2qWtxGtN9wibSKzYbSwbQh1s9b5syjch" "$helper" genkey --password test
check 2 'unknown option "--bogus"' "$helper" --bogus
check 2 "no password or private key" "$helper" --ip 10.0.0.1
check 2 "--peer-timeout" "$helper" --password x --peer-timeout abc
check 2 "--claim" "$helper" --password x --claim 10.0.0.1
check 2 "--mode" "$helper" --password x --mode bridge
check 2 "--algorithm" "$helper" --password x --algorithm rot13
check 2 "conflict" "$helper" --password x -v -q
check 2 "--config" "$helper" --config "$tmp/missing.yaml"
printf 'crypto:\n  pasword: x\n' > "$tmp/typo.yaml"
check 2 'crypto.pasword' "$helper" --config "$tmp/typo.yaml"
printf 'peer_timeout: 10\ncrypto:\n  password: x\n' > "$tmp/underscore.yaml"
check 2 'peer_timeout' "$helper" --config "$tmp/underscore.yaml"
printf 'peer-timeout: soon\ncrypto:\n  password: x\n' > "$tmp/type.yaml"
check 2 'peer-timeout' "$helper" --config "$tmp/type.yaml"
check 2 "--password-file" "$helper" --password-file "$tmp/missing.txt"
# Runtime failures (not usage) exit 1 with the reason.
check 1 "cannot create TUN device" "$helper" --password x --device-path /dev/null --control-socket "$tmp/c.sock"
# nimbusctl: usage errors 2, no helper 3.
check 2 "" "$nimbusctl" frobnicate
check 3 "" "$nimbusctl" --socket "$tmp/nothing.sock" status
echo "$((19 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
