#!/bin/sh
# Field crash test (issue 10: "kill at random instants: no payment lost, no receipt number
# skipped or used twice"). tools/field-driver.c collects cash for two agents on one store as
# fast as it can (now and then a void, a close and its reopening) and is killed with SIGKILL at
# a random instant, 30..330 ms after its start (a seeded xorshift), FIELD_CRASH_ITERATIONS
# times (default 60). Every "done" line it printed (only ever after the receipt's commit) is
# kept; then `field-driver --check` proves: every receipt reported done is in the store with its
# event key; per agent the numbers are 1..max, none skipped or used twice; one payment.collected
# per receipt and none without one; one payment.voided per void; one audit row per event, the
# chain verifies; integrity_check ok. No name or ID number of the driver's clients in its logs.
#
# Usage: test_field_crash.sh TMPDIR   (RECAUDO_BUILD or RECAUDO_BIN locates the build
#        directory; FIELD_CRASH_ITERATIONS, FIELD_CRASH_SEED optional). Ends with
#        "N passed, N failed".
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
drv=$(dirname "$bin")/field-driver
n=${FIELD_CRASH_ITERATIONS:-60}
seed=${FIELD_CRASH_SEED:-20261122}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

drvpid=""
cleanup() {
  [ -z "$drvpid" ] || { kill -9 "$drvpid" 2>/dev/null; wait "$drvpid" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$drv" ] || { echo "test_field_crash: $drv is not built"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$t"
: >"$t/shown"

# xorshift32, seeded: the same kill instants for the same FIELD_CRASH_SEED
rng=$((seed & 4294967295))
[ "$rng" -ne 0 ] || rng=1
next_rand() {
  rng=$(((rng ^ (rng << 13)) & 4294967295))
  rng=$((rng ^ (rng >> 17)))
  rng=$(((rng ^ (rng << 5)) & 4294967295))
}

k=0
while [ $k -lt "$n" ]; do
  next_rand
  delay=$((30 + rng % 301))
  "$drv" --db "$t/store.db" --seed "$rng" >>"$t/shown" 2>>"$t/driver.log" &
  drvpid=$!
  sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  kill -9 "$drvpid" 2>/dev/null
  wait "$drvpid" 2>/dev/null
  drvpid=""
  k=$((k + 1))
done
done_n=$(grep -c '^done ' "$t/shown")
if [ "$done_n" -gt "$n" ]; then ok; else bad "only $done_n receipts in $n runs: the driver barely ran"; fi

"$drv" --db "$t/store.db" --check "$t/shown" >"$t/check" 2>&1
sed 's/^/  /' "$t/check"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$t/check" | tail -n 1)
if [ -n "$line" ]; then
  pass=$((pass + ${line%% passed*}))
  f=${line#*passed, }
  fail=$((fail + ${f%% failed*}))
else
  bad "field-driver --check printed no result"
fi

# the driver's logs hold no client's ID number or name
if grep -q -e 102030405 -e 'Cliente' "$t/driver.log" "$t/shown"; then bad "personal data in a log"; else ok; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
