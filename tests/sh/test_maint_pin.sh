#!/bin/sh
# `recaudo maint set-pin` (docs/maintenance.md "PIN and lockout"): the PIN twice on stdin
# sets it (an Argon2id hash in the store's meta, never the PIN); a mismatch, a wrong length,
# non-digits, one line only or a PIN on the command line change nothing and exit non-zero;
# --demo gives a store without a PIN the demo PIN, marked as such, and a real PIN clears the mark.
# Usage: test_maint_pin.sh TMPDIR   (RECAUDO_BIN and RECAUDO_START come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
start=${RECAUDO_START:-1795359600}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

# meta KEY of the store in DIR (empty if absent)
meta() {
  python3 -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute("select value from meta where key = ?", (sys.argv[2],)).fetchone()
print(r[0] if r else "")' "$1/recaudo.db" "$2"
}
# a fingerprint of everything in DIR (names and bytes)
fingerprint() { (cd "$1" && find . -type f | sort | xargs cksum) 2>/dev/null; }

# success
printf '482915\n482915\n' | "$bin" maint set-pin --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -qx "PIN set" "$t/out"' "set-pin: $(cat "$t/out" "$t/err")"
h1=$(meta "$t/d" maint_pin_hash)
check 'case "$h1" in "\$argon2id\$v=19\$m=65536,t=3,p=1\$"*) true ;; *) false ;; esac' "the hash: $h1"
check '! grep -q 482915 "$t/out" "$t/err" && ! printf %s "$h1" | grep -q 482915' "the PIN shows"
check '[ "$(meta "$t/d" maint_pin_demo)" = 0 ]' "a real PIN marked as demo"

# refused: nothing changed, exit non-zero, a clear message
fp=$(fingerprint "$t/d")
refuse() { # NAME INPUT MESSAGE
  name=$1 want=$3
  printf "$2" | "$bin" maint set-pin --data "$t/d" >"$t/out" 2>"$t/err"
  rc=$?
  check '[ $rc -ne 0 ] && grep -q "$want" "$t/err" && grep -q "nothing was changed" "$t/err"' "$name: rc=$rc $(cat "$t/err")"
  check '! grep -q "PIN set" "$t/out"' "$name says PIN set"
  check '[ "$(fingerprint "$t/d")" = "$fp" ]' "$name changed the store"
}
refuse mismatch '482915\n482916\n' "the two PINs differ"
refuse short '12345\n12345\n' "6 to 12 digits"
refuse long '1234567890123\n1234567890123\n' "6 to 12 digits"
refuse letters '12345a\n12345a\n' "digits only"
refuse one-line '482915\n' "twice"
refuse very-long '1234567890123456789012345678901234567890123456789012345678901234567890\n1\n' "6 to 12 digits"
check '[ "$(meta "$t/d" maint_pin_hash)" = "$h1" ]' "the hash changed"
# never from argv
"$bin" maint set-pin 482915 --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -ne 0 ] && grep -q "never from the command line" "$t/err"' "a PIN in argv: $(cat "$t/err")"
check '[ "$(fingerprint "$t/d")" = "$fp" ]' "a PIN in argv changed the store"
# a wrong PIN into a new data directory creates nothing
printf '1\n1\n' | "$bin" maint set-pin --data "$t/none" >/dev/null 2>&1
check '[ ! -e "$t/none" ]' "a refused PIN created a data directory"

# --demo: the demo PIN, marked; a real PIN clears the mark; --demo again keeps the real one
echo 'wait 10' >"$t/s.script"
"$bin" --headless --demo --data "$t/demo" --start "$start" --script "$t/s.script" --shots "$t/shots" >"$t/out" 2>&1
check '[ $? -eq 0 ]' "--demo run: $(cat "$t/out")"
check '[ "$(meta "$t/demo" maint_pin_demo)" = 1 ]' "--demo: no demo mark"
hd=$(meta "$t/demo" maint_pin_hash)
check 'python3 -c "import sys; from ctypes import CDLL, c_char_p; l = CDLL(\"libargon2.so.1\"); sys.exit(l.argon2id_verify(c_char_p(sys.argv[1].encode()), c_char_p(b\"246810\"), 6))" "$hd"' \
  "--demo: the hash is not of 246810: $hd"
printf '7654321\n7654321\n' | "$bin" maint set-pin --data "$t/demo" >/dev/null 2>&1
check '[ "$(meta "$t/demo" maint_pin_demo)" = 0 ]' "a real PIN kept the demo mark"
h2=$(meta "$t/demo" maint_pin_hash)
"$bin" --headless --demo --data "$t/demo" --start "$start" --script "$t/s.script" --shots "$t/shots" >"$t/out" 2>&1
check '[ "$(meta "$t/demo" maint_pin_hash)" = "$h2" ] && [ "$(meta "$t/demo" maint_pin_demo)" = 0 ]' \
  "--demo replaced a real PIN"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
