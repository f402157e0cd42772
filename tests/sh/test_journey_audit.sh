#!/bin/sh
# The journey audit of issue 11, where a scenario alone cannot show it: the attract screen
# with the printer out of paper (a configured virtual printer with a fault), and the
# portfolio row's touch areas apart from its "Cambiar valor" button (no shared pixel), at
# both sizes. The rest is tests/scenarios/audit.script.
# Usage: test_journey_audit.sh TMPDIR   (RECAUDO_BIN comes from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
here=$(dirname "$0")
start=${RECAUDO_START:-1795359600}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

printf '[printer]\nbackend = virtual\ntarget = %s/paper?paper_out_after=0\n' "$t" >"$t/nopaper.ini"
for size in 1080x1920 1280x800; do
  if "$bin" --headless --demo --config "$t/nopaper.ini" --data "$t/p-$size" --size "$size" --start "$start" \
      --script "$here/audit_printer.script" --shots "$t/shots-printer-$size" >"$t/out" 2>&1; then
    ok
  else
    bad "printer out of paper at $size: $(grep -v '^recaudo:' "$t/out")"
  fi

  # "controls" lists the screen's touch areas; the row's (its number, and the unlabelled part
  # left of the button) must share no pixel with "Cambiar valor".
  "$bin" --headless --demo --data "$t/c-$size" --size "$size" --start "$start" \
    --script "$here/audit_targets.script" --shots "$t/shots-targets-$size" >"$t/controls" 2>&1
  rc=$?
  r=$(/usr/bin/python3 - "$t/controls" <<'PY'
import re, sys
boxes = [(m.group(1), *map(int, m.groups()[1:])) for m in
         re.finditer(r'control "([^"]*)" at (-?\d+) (-?\d+) size (\d+)x(\d+)', open(sys.argv[1]).read())]
btn = [b for b in boxes if b[0] == "Cambiar valor"]
row = [b for b in boxes if b[0] in ("HIP-7078031-27", "")]
def meet(a, b):
    return a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[2] < b[2] + b[4] and b[2] < a[2] + a[4]
if len(btn) != 1 or len(row) != 2:
    print("expected one button and a row in two parts:", boxes)
else:
    hit = [r for r in row if meet(r, btn[0])]
    print("ok" if not hit else "overlap: %s with %s" % (btn[0], hit))
PY
)
  if [ $rc -eq 0 ] && [ "$r" = ok ]; then
    ok
  else
    bad "row and Cambiar valor at $size: $r"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
