#!/bin/sh
# Field crash test (issue 10: "kill at random instants: no payment lost, no receipt number
# skipped or used twice"). tools/field-driver.c collects cash for two agents on one store as
# fast as it can (now and then a void, a close and its reopening) and is killed with SIGKILL at
# a random instant, 30..330 ms after its start (seeded), FIELD_CRASH_ITERATIONS
# times (default 60). Every "done" line it printed (only ever after the receipt's commit) is
# kept; then `field-driver --check` proves: every receipt reported done is in the store with its
# event key; per agent the numbers are 1..max, none skipped or used twice; one payment.collected
# per receipt and none without one; one payment.voided per void; one audit row per event, the
# chain verifies; integrity_check ok; more receipts than runs (the driver did run); no name or
# ID number of the driver's clients in its logs. Its last line is the test's result.
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

drvpid=""
cleanup() {
  [ -z "$drvpid" ] || { kill -9 "$drvpid" 2>/dev/null; wait "$drvpid" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$drv" ] || { echo "test_field_crash: $drv is not built"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$t"
: >"$t/shown"

# the kill instants and the driver's seeds, reproducible from FIELD_CRASH_SEED
awk -v seed="$seed" -v n="$n" 'BEGIN { srand(seed); for (i = 0; i < n; i++)
  printf "%d %d\n", 30 + int(rand() * 301), 1 + int(rand() * 2147483646) }' >"$t/plan"
while read -r delay dseed; do
  "$drv" --db "$t/store.db" --seed "$dseed" >>"$t/shown" 2>>"$t/driver.log" &
  drvpid=$!
  sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  kill -9 "$drvpid" 2>/dev/null
  wait "$drvpid" 2>/dev/null
  drvpid=""
done <"$t/plan"

"$drv" --db "$t/store.db" --check "$t/shown" --min-done "$n" --log "$t/driver.log"
