#!/bin/sh
# `recaudo health [--config F] [--data D]` (docs/operations.md "recaudo health"), the checks of
# the image's health gate, one line each, exit 0 or 1:
#   - a healthy demo store, no printer configured: "ok store: quick_check", "ok printer: absent
#     (none configured)", exit 0, and the store unchanged (opened read-only);
#   - no store: "fail store: none in DIR", exit 1, nothing created;
#   - a copy of the store with pages in its middle overwritten: "fail store", exit 1;
#   - a serial printer on a path that does not exist, and the fake printer (tools/fake-printer on
#     a pty) stopped, silent, or out of paper: "fail printer", exit 1;
#   - the fake printer answering: "ok printer: serial: ready", exit 0;
#   - a configuration that cannot be read: "fail config", exit 1.
# Usage: test_health.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
build=$(dirname "$bin")
fake=$build/fake-printer
start=${RECAUDO_START:-1795359600}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
fakepid=""
cleanup() { [ -z "$fakepid" ] || { kill "$fakepid" 2>/dev/null; wait "$fakepid" 2>/dev/null; }; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the store ----
printf 'expect-screen attract\n' >"$t/a.script"
"$bin" --headless --demo --data "$t/d" --start "$start" --script "$t/a.script" --shots "$t/shots" >/dev/null 2>&1
sum=$(sha256sum "$t/d/recaudo.db" | cut -d' ' -f1)
"$bin" health --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && [ "$(cat "$t/out")" = "ok store: quick_check
ok printer: absent (none configured)" ] && [ ! -s "$t/err" ]' "healthy: $(cat "$t/out" "$t/err")"
check '[ "$(sha256sum "$t/d/recaudo.db" | cut -d" " -f1)" = "$sum" ]' "health changed the store"
"$bin" health --data "$t/none" >"$t/out" 2>&1
check '[ $? -eq 1 ] && grep -q "^fail store: none in $t/none$" "$t/out" && [ ! -e "$t/none" ]' "no store: $(cat "$t/out")"
# a corrupted copy: 8 pages of 4 KB in the middle of the file overwritten
mkdir -p "$t/bad"
cp "$t/d/recaudo.db" "$t/bad/recaudo.db"
pages=$(($(stat -c %s "$t/bad/recaudo.db") / 4096))
check '[ "$pages" -ge 20 ]' "the demo store has only $pages pages"
head -c 32768 /dev/urandom | dd of="$t/bad/recaudo.db" bs=4096 seek=$((pages / 2 - 4)) conv=notrunc 2>/dev/null
"$bin" health --data "$t/bad" >"$t/out" 2>&1
check '[ $? -eq 1 ] && grep -q "^fail store: " "$t/out" && grep -q "^ok printer: absent" "$t/out"' "corrupt store: $(cat "$t/out")"
# a configuration that cannot be read
printf '[printer]\ncolour = blue\n' >"$t/bad.ini"
"$bin" health --data "$t/d" --config "$t/bad.ini" >"$t/out" 2>&1
check '[ $? -eq 1 ] && grep -q "^fail config: .*bad.ini:2" "$t/out" && grep -q "^ok store: quick_check$" "$t/out" &&
  grep -q "^fail printer: not checked" "$t/out"' "bad config: $(cat "$t/out")"
printf '[printer]\nbackend = carrier-pigeon\n' >"$t/bad2.ini"
"$bin" health --data "$t/d" --config "$t/bad2.ini" >"$t/out" 2>&1
check '[ $? -eq 1 ] && grep -q "^fail printer: carrier-pigeon: .*unknown backend" "$t/out"' "unknown backend: $(cat "$t/out")"

# ---- the printer ----
serial_ini() { printf '[printer]\nbackend = serial\ntarget = %s:19200:none\n' "$1" >"$t/serial.ini"; }
serial_ini "$t/no-such-tty"
"$bin" health --data "$t/d" --config "$t/serial.ini" >"$t/out" 2>&1
check '[ $? -eq 1 ] && grep -q "^ok store: quick_check$" "$t/out" && grep -q "^fail printer: serial: " "$t/out"' \
  "a printer that is not there: $(cat "$t/out")"
if [ -x "$fake" ]; then
  # fake_start OPTIONS...: the fake printer on a pty behind $t/tty0
  fake_start() {
    "$fake" --link "$t/tty0" "$@" >/dev/null 2>>"$t/fake.log" &
    fakepid=$!
    i=0
    while [ ! -e "$t/tty0" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
  }
  fake_stop() { kill "$fakepid"; wait "$fakepid" 2>/dev/null; fakepid=""; }
  serial_ini "$t/tty0"
  fake_start
  "$bin" health --data "$t/d" --config "$t/serial.ini" >"$t/out" 2>&1
  check '[ $? -eq 0 ] && [ "$(cat "$t/out")" = "ok store: quick_check
ok printer: serial: ready" ]' "the fake printer answering: $(cat "$t/out" "$t/fake.log")"
  fake_stop
  "$bin" health --data "$t/d" --config "$t/serial.ini" >"$t/out" 2>&1
  check '[ $? -eq 1 ] && grep -q "^fail printer: serial: " "$t/out"' "the fake printer stopped: $(cat "$t/out")"
  fake_start --silent
  "$bin" health --data "$t/d" --config "$t/serial.ini" >"$t/out" 2>&1
  check '[ $? -eq 1 ] && grep -q "^fail printer: serial: offline" "$t/out"' "the fake printer silent: $(cat "$t/out")"
  fake_stop
  fake_start --paper out
  "$bin" health --data "$t/d" --config "$t/serial.ini" >"$t/out" 2>&1
  check '[ $? -eq 1 ] && grep -q "^fail printer: serial: paper_out" "$t/out"' "the fake printer out of paper: $(cat "$t/out")"
  fake_stop
  fake_start --paper near
  "$bin" health --data "$t/d" --config "$t/serial.ini" >"$t/out" 2>&1
  check '[ $? -eq 0 ] && grep -q "^ok printer: serial: paper_near_end" "$t/out"' "paper near its end still prints: $(cat "$t/out")"
  fake_stop
else
  bad "no fake printer: $fake"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
