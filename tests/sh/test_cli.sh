#!/bin/sh
# Command-line behaviour: import (good and corrupt), status --json, the harness's failure
# report, configuration errors, coupon verification, and no personal data in logs.
# Usage: test_cli.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START and TZ come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
start=${RECAUDO_START:-1795359600}
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

# a new store starts empty
"$bin" status --json --data "$t/new" >"$t/s0" 2>&1
check 'grep -q "\"customers\":0" "$t/s0" && grep -q "\"data_as_of\":null" "$t/s0"' "new store is not empty"
check 'grep -q "\"next_sequence\":1" "$t/s0"' "new store sequence"

# import the demo file
"$bin" import assets/demo/portfolio.json --data "$t/d" >"$t/out" 2>&1
check '[ $? -eq 0 ] || true; grep -q "imported" "$t/out"' "import of the demo file"
"$bin" status --json --data "$t/d" >"$t/s1"
check 'grep -q "\"customers\":37" "$t/s1"' "demo customers count: $(cat "$t/s1")"
check 'grep -q "\"printer\":{\"backend\":\"virtual\"" "$t/s1"' "status printer backend"
check 'grep -q "\"last_job\":null}}$" "$t/s1"' "status: no print job yet: $(cat "$t/s1")"
check 'grep -q "\"data_as_of\":\"2026-11-21T23:00:00Z\"" "$t/s1"' "status data_as_of"

# corrupt imports: clear message, non-zero exit, store unchanged
cp "$t/d/recaudo.db" "$t/before.db"
head -c 2000 assets/demo/portfolio.json >"$t/truncated.json"
printf '{"format":"something-else/9","customers":[]}' >"$t/wrongfmt.json"
sed 's/"balance": *18540000/"balance": -5/' assets/demo/portfolio.json >"$t/negative.json"
printf 'not json at all' >"$t/garbage.json"
for f in truncated wrongfmt negative garbage missing; do
  "$bin" import "$t/$f.json" --data "$t/d" >"$t/out" 2>&1
  rc=$?
  check '[ $rc -ne 0 ]' "import of $f.json succeeded"
  check 'grep -q "nothing was changed" "$t/out"' "import of $f.json: no clear message: $(cat "$t/out")"
  "$bin" status --json --data "$t/d" >"$t/s2"
  # what the store holds, not how big its files are or how much disk is free
  strip='s/"data_age_s":[0-9]*,//; s/"store_bytes":[0-9]*,//; s/"free_bytes":[0-9]*,//'
  check '[ "$(sed "$strip" "$t/s1")" = "$(sed "$strip" "$t/s2")" ]' "store changed by $f.json"
done
check 'grep -q "customers\[" "$t/out" || grep -qi "cannot\|no such" "$t/out"' "message names the problem"
# the negative balance message names the record and field, not the person
"$bin" import "$t/negative.json" --data "$t/d" >"$t/out" 2>&1
check 'grep -q "balance" "$t/out"' "negative balance message: $(cat "$t/out")"
check '! grep -q "1020304050\|Núñez" "$t/out"' "personal data in an import error"

# the harness reports FILE:LINE: reason and fails
printf 'expect-screen attract\nexpect "Texto que no existe"\n' >"$t/fail.script"
"$bin" --headless --demo --data "$t/h" --start "$start" --script "$t/fail.script" --shots "$t/shots" >"$t/out" 2>&1
rc=$?
check '[ $rc -ne 0 ]' "failing script exited 0"
check 'grep -q "^$t/fail.script:2: expected to see \"Texto que no existe\"" "$t/out"' "harness message: $(cat "$t/out")"
printf 'press "No existe"\n' >"$t/fail2.script"
"$bin" --headless --demo --data "$t/h" --start "$start" --script "$t/fail2.script" --shots "$t/shots" >"$t/out" 2>&1
check 'grep -q "fail2.script:1: no single control labelled" "$t/out"' "press of a missing control: $(cat "$t/out")"
printf 'frobnicate 3\n' >"$t/fail3.script"
"$bin" --headless --demo --data "$t/h" --start "$start" --script "$t/fail3.script" --shots "$t/shots" >"$t/out" 2>&1
check 'grep -q "fail3.script:1: unknown command \"frobnicate\"" "$t/out"' "unknown command: $(cat "$t/out")"

# configuration errors are clear and stop the kiosk before it changes anything
printf '[kiosk]\nid = 7\n[printer]\ncolour = blue\n' >"$t/bad.ini"
"$bin" --headless --demo --config "$t/bad.ini" --data "$t/cfg" --start "$start" --script "$t/fail.script" --shots "$t/shots" >"$t/out" 2>&1
check '[ $? -ne 0 ]' "bad config accepted"
check 'grep -q "bad.ini:4: unknown setting \[printer\] colour" "$t/out"' "config message: $(cat "$t/out")"
check '[ ! -e "$t/cfg/recaudo.db" ]' "bad config still created a store"
printf '[session]\ninactivity_s = soon\n' >"$t/bad2.ini"
"$bin" status --config "$t/bad2.ini" --data "$t/cfg" >"$t/out" 2>&1
check 'grep -q "bad2.ini:2: bad value for \[session\] inactivity_s" "$t/out"' "bad value message: $(cat "$t/out")"

# merchant data that cannot make a pay-by-phone QR is refused at start, not after a coupon
printf '[merchant]\nname = 中文中文\n' >"$t/bad3.ini"
"$bin" --headless --demo --config "$t/bad3.ini" --data "$t/cfg" --start "$start" --script "$t/fail.script" --shots "$t/shots" >"$t/out" 2>&1
check 'grep -q "bad3.ini: \[merchant\].*valid EMVCo QR" "$t/out"' "merchant check: $(cat "$t/out")"
# a data path too long is refused, never silently shortened into another (empty) store
long=$(printf "$t/%0300d" 0)
"$bin" --headless --demo --data "$long" --start "$start" --script "$t/fail.script" --shots "$t/shots" >"$t/out" 2>&1
check 'grep -q "data directory path is too long" "$t/out"' "long data path: $(cat "$t/out")"
# the configured language is the one every session starts in, not just the first
printf '[kiosk]\nlanguage = en\n' >"$t/en.ini"
printf 'expect "Touch to start"\npress "Touch to start"\npress "Español"\nexpect "Ingrese su documento"\npress "Salir"\npress "Sí, salir"\nexpect-screen attract\nexpect "Touch to start"\n' >"$t/en.script"
"$bin" --headless --demo --config "$t/en.ini" --data "$t/en" --start "$start" --script "$t/en.script" --shots "$t/shots" >"$t/out" 2>&1
check '[ $? -eq 0 ]' "default language: $(cat "$t/out")"

# a real journey: then status counts the coupon, verify-coupon accepts its QR, logs hold no PII
cat >"$t/j.script" <<'S'
press "Toque para comenzar"
type 1020304050
key Enter
press "VID-4471203-1126"
press "Generar cupón"
expect-screen coupon
S
"$bin" --headless --demo --data "$t/j" --start "$start" --script "$t/j.script" --shots "$t/shots" >"$t/out" 2>&1
check '[ $? -eq 0 ]' "journey script: $(cat "$t/out")"
check '! grep -q "1020304050\|Núñez\|María" "$t/out"' "personal data in the kiosk's log: $(cat "$t/out")"
"$bin" status --json --data "$t/j" >"$t/s3"
check 'grep -q "\"coupons_issued\":1" "$t/s3" && grep -q "\"next_sequence\":2" "$t/s3"' "status after a coupon: $(cat "$t/s3")"
# the printer as the store knows it: its last job, by kind and key
check 'grep -q "\"last_job\":{\"kind\":\"receipt\",\"ref\":\"1\",\"state\":\"printed\",\"at\":\"[0-9T:Z-]*\"}}}$" "$t/s3"' "status last print job: $(cat "$t/s3")"
# its event waits in the outbox (no central API here): queue depth 1, an age, never synced
check 'grep -q "\"queue_depth\":1,\"dead_letters\":0,\"oldest_unsynced_age_s\":[0-9]*,\"last_sync\":null" "$t/s3"' "status outbox fields: $(cat "$t/s3")"
# the disk: the store's size (at least the database file as it is now) and the space left
sb=$(sed -n 's/.*"store_bytes":\([0-9]*\),"free_bytes":\([0-9]*\),.*/\1/p' "$t/s3")
fb=$(sed -n 's/.*"store_bytes":\([0-9]*\),"free_bytes":\([0-9]*\),.*/\2/p' "$t/s3")
check '[ -n "$sb" ] && [ "$sb" -ge "$(stat -c %s "$t/j/recaudo.db")" ] && [ "$sb" -gt 0 ]' "status store_bytes: $(cat "$t/s3")"
check '[ -n "$fb" ] && [ "$fb" -gt 0 ]' "status free_bytes: $(cat "$t/s3")"
check '[ -s "$t/j/receipts/receipt-000001.bin" ] && [ -s "$t/j/receipts/receipt-000001.png" ]' "receipt files"
payload=$(zbarimg --raw -q "$t/j/receipts/receipt-000001.png" 2>/dev/null | head -n 1)
"$bin" verify-coupon "$payload" --data "$t/j" >"$t/out" 2>&1
check 'grep -q "^valid: kiosk 1 sequence 1 reference 0001000000000017 amount \$ 185.400 due 20261125" "$t/out"' "verify: $(cat "$t/out")"
tampered=$(printf '%s' "$payload" | sed 's/A=18540000/A=18540001/')
"$bin" verify-coupon "$tampered" --data "$t/j" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "^invalid" "$t/out"' "tampered coupon accepted"

# --mode goes through the activity table: field starts the agent's login; an unknown mode lists them
printf 'expect-screen field-login\n' >"$t/field.script"
"$bin" --mode field --headless --data "$t/m" --script "$t/field.script" --shots "$t/m/shots" >"$t/out" 2>&1
check '[ $? -eq 0 ] && grep -q "1 lines ok" "$t/out"' "--mode field: $(cat "$t/out")"
"$bin" --mode cashier --headless --data "$t/m" --script /dev/null --shots "$t/m" >"$t/out" 2>&1
check '[ $? -eq 2 ] && grep -q "unknown mode \"cashier\"; the modes are: kiosk, field" "$t/out"' "--mode cashier: $(cat "$t/out")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
