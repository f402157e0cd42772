#!/bin/sh
# `recaudo maint totals` (docs/maintenance.md "## Totales"): after a scripted session that
# issues one coupon, the day's totals on stdout (count, sum, sequence), the totals slip printed
# on the virtual printer and read back from its bytes (kind report, ref totals-YYYYMMDD), a
# totals.print audit row and a whole chain. A printer with its cover open: exit 1, audited as
# failed. Bad input (a bad date, a day after today, an unknown option, no store): a message, a
# non-zero exit, nothing created.
# Usage: test_maint_totals.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START and TZ come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
start=${RECAUDO_START:-1795359600}
export TZ=${TZ:-<-05>5}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
q() { /usr/bin/python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$1/recaudo.db" "$2"; }
# the slip's text as printed: the ESC/POS bytes in the code page, commands dropped
slip() { /usr/bin/python3 -c 'import re, sys
b = open(sys.argv[1], "rb").read()
b = re.sub(rb"\x1b[@]|\x1b[atEM!-]|\x1dV.|\x1d!.|\x1bc5.|\x1bd.", b"", b)
b = re.sub(rb"\x1b[atE!dM]\S?|\x1d[!V]\S?", b"", b)
print(b.decode("cp858", "replace"))' "$1"; }

# one coupon issued on 2026-11-22 (the demo journey: $ 485.400, sequence 1)
"$bin" --headless --demo --data "$t/d" --start "$start" --script tests/scenarios/journey_coupon.script \
  --shots "$t/shots" >"$t/session" 2>&1
check '[ $? -eq 0 ]' "session: $(tail -3 "$t/session")"

"$bin" maint totals --day 2026-11-22 --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -q "^totals 2026-11-22 kiosk 0001: 1 coupons, total \$ 485.400$" "$t/out"' \
  "totals: $(cat "$t/out" "$t/err")"
check 'grep -q "^  COP: 1 coupons, 2 documents, \$ 485.400$" "$t/out"' "per currency: $(cat "$t/out")"
check 'grep -q "^  sequence 1-1, before it 0$" "$t/out" && grep -q "^  sequence complete$" "$t/out"' "sequence: $(cat "$t/out")"
"$bin" maint totals --day 2026-11-21 --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && [ "$(cat "$t/out")" = "totals 2026-11-21 kiosk 0001: 0 coupons" ]' "the day before: $(cat "$t/out" "$t/err")"
check '[ "$(q "$t/d" "select count(*) from audit where action like '"'"'totals%'"'"'")" = 0 ]' "a view is not audited from the shell"

# printed on the virtual printer
"$bin" maint totals --day 2026-11-22 --print --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -q "^totals slip printed (virtual, printer ready)$" "$t/out"' "print: $(cat "$t/out" "$t/err")"
bin_file=$(ls "$t"/d/receipts/totals-*.bin 2>/dev/null | head -1)
check '[ -n "$bin_file" ] && [ -s "${bin_file%.bin}.png" ]' "no totals slip on the virtual printer"
if [ -n "$bin_file" ]; then
  slip "$bin_file" >"$t/slip"
  for want in "TOTALES" "Kiosco                                      0001" "Día                                   22/11/2026" \
    "Cupones                                        1" "Total en COP                           \$ 485.400" \
    "COP                                    \$ 485.400" "  cupones / documentos                     1 / 2" \
    "Secuencia                                  1 - 1" "Secuencia completa"; do
    check 'grep -qF "$want" "$t/slip"' "the slip lacks \"$want\": $(cat "$t/slip")"
  done
  check 'grep -q "^Impreso  *[0-9][0-9]/[0-9][0-9]/20[0-9][0-9] [0-9][0-9]:[0-9][0-9]" "$t/slip"' "printed-at: $(cat "$t/slip")"
fi
check '[ "$(q "$t/d" "select kind, ref, coupon_seq is null, state from print_jobs where kind = '"'"'report'"'"'")" = "report|totals-20261122|1|printed" ]' \
  "the job: $(q "$t/d" "select kind, ref, state from print_jobs")"
check '[ "$(q "$t/d" "select action, result, detail from audit order by id desc limit 1")" = "totals.print|ok|day=2026-11-22 gaps=0 state=ready" ]' \
  "the audit row: $(q "$t/d" "select action, result, detail from audit order by id desc limit 1")"
"$bin" audit verify --data "$t/d" >"$t/out" 2>&1
check '[ $? -eq 0 ] && grep -q "^audit chain ok" "$t/out"' "audit verify: $(cat "$t/out")"

# 58 mm paper, in English
printf '[kiosk]\nlanguage = en\n[printer]\nbackend = virtual\ntarget = %s\nprofile = 58mm\ndots = 384\n' "$t/paper58" >"$t/58.ini"
mkdir -p "$t/paper58"
"$bin" maint totals --day 2026-11-22 --print --data "$t/d" --config "$t/58.ini" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ]' "58 mm: $(cat "$t/out" "$t/err")"
bin_file=$(ls "$t"/paper58/totals-*.bin 2>/dev/null | head -1)
if [ -n "$bin_file" ]; then
  slip "$bin_file" >"$t/slip58"
  check 'grep -qF "TOTALS" "$t/slip58" && grep -qF "Coupons                        1" "$t/slip58"' "58 mm slip: $(cat "$t/slip58")"
else
  bad "no 58 mm slip: $(ls "$t/paper58")"
fi

# a printer with its cover open: not printed, said, audited as failed
mkdir -p "$t/paper"
printf '[printer]\nbackend = virtual\ntarget = %s?cover_open=1\n' "$t/paper" >"$t/cover.ini"
"$bin" maint totals --print --day 2026-11-22 --data "$t/d" --config "$t/cover.ini" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "maint totals: not printed: .*(printer cover_open)" "$t/err"' "cover open: $(cat "$t/out" "$t/err")"
check '[ "$(q "$t/d" "select action, result from audit order by id desc limit 1")" = "totals.print|failed" ]' "cover open: not audited as failed"
"$bin" audit verify --data "$t/d" >"$t/out" 2>&1
check '[ $? -eq 0 ]' "audit verify after the failure: $(cat "$t/out")"

# bad input: a message, exit 2, nothing created or changed
rows=$(q "$t/d" "select count(*) from audit")
for day in 2026-13-01 2026-02-30 22/11/2026 2026-1-5 ""; do
  "$bin" maint totals --day "$day" --data "$t/d" >"$t/out" 2>"$t/err"
  check '[ $? -eq 2 ] && grep -q "maint totals: --day wants a date as YYYY-MM-DD" "$t/err" && [ ! -s "$t/out" ]' "bad day \"$day\": $(cat "$t/out" "$t/err")"
done
"$bin" maint totals --day 2099-01-01 --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -eq 2 ] && grep -q "2099-01-01 is after today" "$t/err"' "future day: $(cat "$t/err")"
"$bin" maint totals --week --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -eq 2 ] && grep -q "unexpected \"--week\"" "$t/err"' "unknown option: $(cat "$t/err")"
check '[ "$(q "$t/d" "select count(*) from audit")" = "$rows" ]' "bad input wrote audit rows"
"$bin" maint totals --data "$t/none" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "no store in" "$t/err" && [ ! -e "$t/none" ]' "no store: $(cat "$t/err")"

# the screen (tests/scenarios/maint_totals.script: a coupon, then Totales, print, the day before):
# each day read is a totals.view row, the print a totals.print row, the slip on the paper
"$bin" --headless --demo --data "$t/s" --start "$start" --script tests/scenarios/maint_totals.script \
  --shots "$t/shots" >"$t/screen" 2>&1
check '[ $? -eq 0 ]' "the screen's scenario: $(tail -3 "$t/screen")"
check '[ "$(q "$t/s" "select action, result, detail from audit where action like '"'"'totals.%'"'"' order by id" | tr "\n" " ")" = "totals.view|ok|day=2026-11-22 gaps=0 totals.print|ok|day=2026-11-22 state=ready totals.view|ok|day=2026-11-21 gaps=0 totals.view|ok|day=2026-11-22 gaps=0 " ]' \
  "the screen's audit rows: $(q "$t/s" "select action, result, detail from audit order by id")"
check '[ "$(q "$t/s" "select count(*) from outbox where type = '"'"'maintenance.action'"'"'")" -ge 4 ]' "maintenance.action events"
bin_file=$(ls "$t"/s/receipts/totals-*.bin 2>/dev/null | head -1)
[ -n "$bin_file" ] && slip "$bin_file" >"$t/slip-screen"
check '[ -n "$bin_file" ] && grep -qF "Total en COP                           \$ 485.400" "$t/slip-screen"' "the screen's slip"
"$bin" audit verify --data "$t/s" >"$t/out" 2>&1
check '[ $? -eq 0 ]' "audit verify after the screen: $(cat "$t/out")"

# a gap: the coupon's number moved to 3 (1 and 2 are in no coupon): the screen flags it with
# Aviso and the words, never colour alone
/usr/bin/python3 -c 'import sqlite3, sys
d = sqlite3.connect(sys.argv[1]); d.execute("UPDATE coupons SET seq = 3"); d.commit()' "$t/s/recaudo.db"
cat >"$t/gap.script" <<'SCRIPT'
hold 60 60 3000
type 246810
press "Entrar"
press "Totales"
expect-screen maint-totals
expect "3 a 3 (anterior: —)"
expect "Aviso"
expect "Faltan antes 2"
expect-not "Faltan 0"
expect-not "Ninguno: secuencia completa"
expect-no-overlap
shot totals-gap
SCRIPT
for size in 1080x1920 1280x800; do
  "$bin" --headless --demo --data "$t/s" --size "$size" --start "$start" --script "$t/gap.script" \
    --shots "$t/shots-$size" >"$t/gap" 2>&1
  check '[ $? -eq 0 ]' "the gap at $size: $(tail -3 "$t/gap")"
done
check '[ "$(q "$t/s" "select detail from audit where action = '"'"'totals.view'"'"' order by id desc limit 1")" = "day=2026-11-22 gaps=1" ]' "the gap's audit row"
"$bin" maint totals --day 2026-11-22 --data "$t/s" >"$t/out" 2>&1
check 'grep -q "^  SEQUENCE GAPS: 0 missing, 0 dated another day, 2 missing before the day$" "$t/out"' "the gap from the shell: $(cat "$t/out")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
