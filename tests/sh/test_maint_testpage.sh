#!/bin/sh
# `recaudo maint test-page` (docs/maintenance.md): the printer test page through the print
# queue on the virtual printer. What is on the paper is read back with zbarimg from the
# virtual printer's PNG (the test QR natively and as a raster, the GS1-128 sample with the
# biller's GLN), the job is recorded with kind "test" and no coupon, and a maint.test_page
# audit row (chained, with its maintenance.action event) carries the result. A printer with
# its cover open: exit 1, the reason said, the failure audited, the chain still whole. A bad
# configuration: exit 1, nothing created.
# Usage: test_maint_testpage.sh TMPDIR   (RECAUDO_BIN comes from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
q() { /usr/bin/python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$1/recaudo.db" "$2"; }

# a good printer
"$bin" maint test-page --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -q "^test page printed (virtual, printer ready)" "$t/out"' "test-page: $(cat "$t/out" "$t/err")"
png=$(ls "$t"/d/receipts/test-*.png 2>/dev/null | head -1)
check '[ -n "$png" ]' "no test page on the virtual printer"
zbarimg -q "$png" >"$t/codes" 2>/dev/null
check '[ "$(grep -c "^QR-Code:RECAUDO TEST 0001 [0-9]\{8\}$" "$t/codes")" -eq 2 ]' "the two test QRs: $(cat "$t/codes")"
check 'grep -q "^CODE-128:415[0-9]\{13\}8020" "$t/codes"' "the GS1-128 sample: $(cat "$t/codes")"
check '[ "$(q "$t/d" "select kind, coupon_seq is null, state from print_jobs")" = "test|1|printed" ]' \
  "the job: $(q "$t/d" "select kind, coupon_seq, state from print_jobs")"
check '[ "$(q "$t/d" "select action, result, detail from audit")" = "maint.test_page|ok|backend=virtual state=ready" ]' \
  "the audit row: $(q "$t/d" "select action, result, detail from audit")"
check '[ "$(q "$t/d" "select count(*) from outbox where type = '"'"'maintenance.action'"'"'")" = 1 ]' "one maintenance.action event"
"$bin" audit verify --data "$t/d" >"$t/out" 2>&1
check '[ $? -eq 0 ] && grep -q "^audit chain ok: 1 rows" "$t/out"' "audit verify: $(cat "$t/out")"

# a printer with its cover open: refused, said, audited
mkdir -p "$t/paper"
printf '[printer]\nbackend = virtual\ntarget = %s?cover_open=1\n' "$t/paper" >"$t/cover.ini"
"$bin" maint test-page --data "$t/d" --config "$t/cover.ini" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "maint test-page: not printed: .*(printer cover_open)" "$t/err"' \
  "cover open: $(cat "$t/out" "$t/err")"
check '[ -z "$(ls "$t/paper"/test-*.png 2>/dev/null)" ]' "cover open: something was printed"
check '[ "$(q "$t/d" "select result from audit order by id desc limit 1")" = "failed" ]' "cover open: not audited as failed"
"$bin" audit verify --data "$t/d" >"$t/out" 2>&1
check '[ $? -eq 0 ] && grep -q "^audit chain ok: 2 rows" "$t/out"' "audit verify after the failure: $(cat "$t/out")"

# a bad configuration: a message, nothing created
printf '[printer]\nbackend = laser\n' >"$t/bad.ini"
"$bin" maint test-page --data "$t/new" --config "$t/bad.ini" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "backend" "$t/err" && [ ! -e "$t/new" ]' "bad config: $(cat "$t/out" "$t/err")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
