#!/bin/sh
# Maintenance mode's Registro (docs/maintenance.md "Registro") with the kiosk binary, which
# starts the log ring in main.c: the screen shows the kiosk's own lines and pages through them
# (tests/sh/maint_log.script) at both sizes, and every line still reaches stderr as before.
# Usage: test_maint_log.sh TMPDIR   (RECAUDO_BIN and RECAUDO_START come from tests/run.sh)
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

for size in ${RECAUDO_SIZES:-1080x1920 1280x800}; do # fewer under `make asan`
  "$bin" --headless --demo --data "$t/d-$size" --size "$size" --start "$start" \
    --script tests/sh/maint_log.script --shots "$t/shots-$size" >"$t/out" 2>"$t/err"
  check '[ $? -eq 0 ]' "$size: $(tail -n 3 "$t/err")"
  check '[ -s "$t/shots-$size/log.png" ] && [ -s "$t/shots-$size/log-oldest.png" ]' "$size: shots"
  # the ring is a copy: stderr has every line, whole
  check '[ "$(grep -c "^recaudo: maintenance: technician in$" "$t/err")" -eq 13 ]' "$size: stderr lines"
  check 'grep -q "^recaudo: retention: " "$t/err"' "$size: stderr retention line"
  python3 -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute("select count(*) from audit where action = ? and result = ?", ("log.view", "ok")).fetchone()
sys.exit(0 if r[0] == 1 else 1)' "$t/d-$size/recaudo.db"
  check '[ $? -eq 0 ]' "$size: no log.view audit row"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
