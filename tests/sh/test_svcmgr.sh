#!/bin/sh
# The kiosk under a service manager (docs/operations.md "Under systemd"): the real binary in a
# window (SDL offscreen, 1280x800, the demo store) with NOTIFY_SOCKET naming a datagram socket
# this test listens on, as systemd's Type=notify does, and WATCHDOG_USEC=2000000:
#   - READY=1 comes once, after the kiosk noted its start and once its first frame is shown
#     (the RECAUDO-READY line is already on its stdout), with a STATUS= saying the screen;
#   - idle on its first screen, at least 2 WATCHDOG=1 in the next 3 s (one every 0.5 s is
#     expected: a quarter of the interval), so the loop wakes up for them;
#   - stdout holds exactly one line `RECAUDO-READY slot=none` (no rauc.slot= on this machine's
#     kernel command line);
#   - SIGTERM: STOPPING=1 and exit 0;
#   - without NOTIFY_SOCKET: no RECAUDO-READY line; headless: no notification at all.
# Usage: test_svcmgr.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START come from tests/run.sh)
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
q() { /usr/bin/python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$1/recaudo.db" "$2"; }

lpid="" kpid=""
cleanup() {
  [ -z "$kpid" ] || { kill -9 "$kpid" 2>/dev/null; wait "$kpid" 2>/dev/null; }
  [ -z "$lpid" ] || { kill "$lpid" 2>/dev/null; wait "$lpid" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# listen SOCKET LOG: each datagram as "MONOTONIC_S MESSAGE" lines (one per assignment), and
# whether the kiosk's stdout already held the READY line when READY=1 came
listen() {
  rm -f "$1"
  /usr/bin/python3 -u -c 'import socket, sys, time, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
log = open(sys.argv[2], "a", buffering=1)
while True:
    m = s.recv(4096).decode()
    now = time.monotonic()
    for line in m.split("\n"):
        if line == "READY=1":
            out = open(sys.argv[3]).read() if os.path.exists(sys.argv[3]) else ""
            line += " line=%d" % out.count("RECAUDO-READY")
        log.write("%.3f %s\n" % (now, line))' "$1" "$2" "$3" &
  lpid=$!
  i=0
  while [ ! -S "$1" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
}
# wait_for FILE PATTERN TRIES: until grep finds it (0.05 s a try)
wait_for() {
  i=0
  while ! grep -q "$2" "$1" 2>/dev/null; do
    i=$((i + 1)); [ $i -le "$3" ] || return 1; sleep 0.05
  done
}

listen "$t/notify" "$t/notes" "$t/out"
check '[ -S "$t/notify" ]' "the test's notify socket was not made"
# the demo store, made by a headless run first so that the window starts at once
printf 'expect-screen attract\n' >"$t/a.script"
"$bin" --headless --demo --data "$t/d" --start "$start" --script "$t/a.script" --shots "$t/shots" >/dev/null 2>&1
NOTIFY_SOCKET="$t/notify" WATCHDOG_USEC=2000000 SDL_VIDEODRIVER=offscreen \
  "$bin" --demo --data "$t/d" --size 1280x800 >"$t/out" 2>"$t/err" &
kpid=$!
wait_for "$t/notes" "READY=1" 400
check '[ $? -eq 0 ]' "no READY=1 in 20 s: $(cat "$t/notes" "$t/err")"
ready_at=$(grep " READY=1" "$t/notes" | head -n 1 | cut -d' ' -f1)
check '[ "$(q "$t/d" "select value from meta where key = '"'"'run_marker'"'"'" | cut -d" " -f1-2)" = "running $kpid" ]' \
  "READY before the kiosk noted its start: $(q "$t/d" "select value from meta where key = 'run_marker'")"
check 'grep -q " READY=1 line=1$" "$t/notes"' "READY=1 came before the first frame's line: $(cat "$t/notes")"
check 'grep -q " STATUS=attract screen$" "$t/notes"' "no STATUS of the attract screen: $(cat "$t/notes")"
sleep 3.2
pings=$(awk -v r="$ready_at" '$2 == "WATCHDOG=1" && $1 > r && $1 <= r + 3 { n++ } END { print n + 0 }' "$t/notes")
check '[ "$pings" -ge 2 ]' "$pings WATCHDOG=1 in the 3 s after READY: $(cat "$t/notes")"
# a quarter of 2 s: about 6 in 3 s; many more would be a loop that never sleeps
check '[ "$pings" -le 12 ]' "$pings WATCHDOG=1 in 3 s (a busy loop?)"
check '[ "$(grep -c " READY=1" "$t/notes")" = 1 ] && ! grep -v -E "^[0-9.]+ (READY=1 line=1|WATCHDOG=1|STATUS=[a-z ]+|)$" "$t/notes"' \
  "an unexpected notification: $(cat "$t/notes")"
kill -TERM "$kpid"
wait "$kpid"
rc=$?
kpid=""
check '[ $rc -eq 0 ]' "SIGTERM: exit $rc: $(cat "$t/err")"
check '[ "$(cat "$t/out")" = "RECAUDO-READY slot=none" ]' "stdout: $(cat "$t/out")"
wait_for "$t/notes" "STOPPING=1" 40
check '[ $? -eq 0 ]' "no STOPPING=1: $(tail -n 3 "$t/notes")"
check '! grep -q "RECAUDO-READY\|[0-9]\{6,\}" "$t/err"' "the log: $(cat "$t/err")"
check '[ "$(grep -c -E "^recaudo: on screen [0-9]+\.[0-9] s after the start \(fonts [0-9.]+, display [0-9.]+, data [0-9.]+ more, first frame [0-9.]+\)$" "$t/err")" = 1 ]' \
  "not one start line in the log: $(cat "$t/err")"

# without NOTIFY_SOCKET: nothing on stdout, and headless with it set: nothing sent
: >"$t/notes"
SDL_VIDEODRIVER=offscreen "$bin" --demo --data "$t/d" --size 1280x800 >"$t/out2" 2>"$t/err2" &
kpid=$!
i=0
while [ "$(q "$t/d" "select value from meta where key = 'run_marker'" | cut -d' ' -f1-2)" != "running $kpid" ]; do
  i=$((i + 1)); [ $i -le 200 ] && kill -0 "$kpid" 2>/dev/null || break; sleep 0.05
done
sleep 1
kill -TERM "$kpid"; wait "$kpid"; kpid=""
check '[ ! -s "$t/out2" ]' "without NOTIFY_SOCKET: $(cat "$t/out2")"
NOTIFY_SOCKET="$t/notify" WATCHDOG_USEC=2000000 "$bin" --headless --demo --data "$t/d" --start "$start" \
  --script "$t/a.script" --shots "$t/shots" >"$t/out3" 2>&1
check '[ $? -eq 0 ] && ! grep -q RECAUDO-READY "$t/out3"' "headless: $(cat "$t/out3")"
sleep 0.3
check '[ ! -s "$t/notes" ]' "notified without a socket or headless: $(cat "$t/notes")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
