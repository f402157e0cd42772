#!/bin/sh
# Money at the top of its range on screen (core/money_limits.h): a store holding the largest
# amounts a document may have, driven through the portfolio, the amount editor and the
# coupon at every kiosk size from 800x480 to 1920x1080 in both orientations; the harness
# fails if two lines of text overlap or an amount is cut short with "…". Then a TRM that
# stops being in force at midnight during a session.
# Usage: test_max_amounts.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START and TZ come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
start=${RECAUDO_START:-1795359600}
here=$(dirname "$0")
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

"$bin" import "$here/max_amounts.json" --data "$t/seed" >"$t/out" 2>&1 || bad "import: $(cat "$t/out")"
for size in 800x480 480x800 1280x800 800x1280 1080x1920 1920x1080; do
  rm -rf "$t/d"
  cp -r "$t/seed" "$t/d"
  if "$bin" --headless --data "$t/d" --size "$size" --start "$start" \
      --script "$here/max_amounts.script" --shots "$t/shots-$size" >"$t/out" 2>&1; then
    ok
  else
    bad "max amounts at $size: $(cat "$t/out")"
  fi
done

# the TRM in the file ends today (22/11/2026); the session starts at 23:59:20
sed 's/"valid_to": "2027-12-31"/"valid_to": "2026-11-22"/' "$here/max_amounts.json" >"$t/trm.json"
"$bin" import "$t/trm.json" --data "$t/trm" >"$t/out" 2>&1 || bad "import: $(cat "$t/out")"
for size in 1080x1920 1280x800; do
  if "$bin" --headless --data "$t/trm" --size "$size" --start 1795409960 \
      --script "$here/trm_ends.script" --shots "$t/shots-trm-$size" >"$t/out" 2>&1; then
    ok
  else
    bad "TRM ends at midnight at $size: $(cat "$t/out")"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
