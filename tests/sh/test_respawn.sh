#!/bin/sh
# The kiosk with its own parent (`recaudo --respawn`, app/respawn.h, docs/operations.md "Under
# systemd"): the real binary in a window (SDL offscreen, 1280x800, the demo store) with a
# notify socket this test listens on and a 2 s watchdog named for the parent (WATCHDOG_PID),
# as systemd starts it:
#   - READY=1, then WATCHDOG=1 pings: the kiosk (the parent's child) took the watchdog over;
#   - kill -9 of the kiosk: the same parent forks a new kiosk, READY=1 again, the log says
#     "started again at once (1 of 3)", the store notes the start as after a crash, and the
#     new kiosk pings the watchdog;
#   - a stop as systemd does it (SIGTERM to the parent, then to the kiosk): the parent is still
#     there when the kiosk has closed down, and exits 0; the store says the run ended cleanly.
# Usage: test_respawn.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START come from tests/run.sh)
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

lpid="" ppid_=""
cleanup() {
  [ -z "$ppid_" ] || { pkill -9 -P "$ppid_" 2>/dev/null; kill -9 "$ppid_" 2>/dev/null; wait "$ppid_" 2>/dev/null; }
  [ -z "$lpid" ] || { kill "$lpid" 2>/dev/null; wait "$lpid" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the notify socket: each datagram as "MONOTONIC_S MESSAGE" lines
rm -f "$t/notify"
/usr/bin/python3 -u -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
log = open(sys.argv[2], "a", buffering=1)
while True:
    m = s.recv(4096).decode()
    for line in m.split("\n"):
        log.write("%.3f %s\n" % (time.monotonic(), line))' "$t/notify" "$t/notes" &
lpid=$!
i=0
while [ ! -S "$t/notify" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
check '[ -S "$t/notify" ]' "the test's notify socket was not made"

# wait_count FILE PATTERN N TRIES: until grep counts N lines (0.05 s a try)
wait_count() {
  i=0
  while [ "$(grep -c "$2" "$1" 2>/dev/null)" -lt "$3" ]; do
    i=$((i + 1)); [ $i -le "$4" ] || return 1; sleep 0.05
  done
}
# the parent's one child, "" if none
kiosk_of() { cat "/proc/$1/task/$1/children" 2>/dev/null | tr -d ' '; }

printf 'expect-screen attract\n' >"$t/a.script"
"$bin" --headless --demo --data "$t/d" --start "$start" --script "$t/a.script" --shots "$t/shots" >/dev/null 2>&1
# as systemd starts the unit: the watchdog named for the main process (exec keeps the pid)
NOTIFY_SOCKET="$t/notify" WATCHDOG_USEC=2000000 SDL_VIDEODRIVER=offscreen \
  sh -c 'WATCHDOG_PID=$$ exec "$@"' sh "$bin" --respawn --demo --data "$t/d" --size 1280x800 >"$t/out" 2>"$t/err" &
ppid_=$!
wait_count "$t/notes" "READY=1" 1 400
check '[ $? -eq 0 ]' "no READY=1 in 20 s: $(cat "$t/notes" "$t/err")"
k1=$(kiosk_of "$ppid_")
check '[ -n "$k1" ] && [ "$k1" != "$ppid_" ]' "no kiosk under the parent ($k1)"
check '[ "$(q "$t/d" "select value from meta where key = '"'"'run_marker'"'"'" | cut -d" " -f1-2)" = "running $k1" ]' \
  "the run marker is not the kiosk's: $(q "$t/d" "select value from meta where key = 'run_marker'")"
sleep 2
pings=$(grep -c " WATCHDOG=1$" "$t/notes")
check '[ "$pings" -ge 2 ]' "the kiosk did not take the watchdog over ($pings pings): $(cat "$t/notes")"

# a crash: the same parent, a new kiosk, READY again, pinging
kill -9 "$k1"
wait_count "$t/notes" "READY=1" 2 400
check '[ $? -eq 0 ]' "no second READY=1 after the kill: $(cat "$t/notes" "$t/err")"
k2=$(kiosk_of "$ppid_")
check '[ -n "$k2" ] && [ "$k2" != "$k1" ] && kill -0 "$ppid_"' "after the kill: parent $ppid_, kiosk $k1 -> $k2"
check 'grep -q "^recaudo: the kiosk ended on signal 9 (Killed); started again at once (1 of 3)$" "$t/err"' \
  "the log does not say so: $(grep -v ALSA "$t/err" | tail -n 5)"
check '[ "$(q "$t/d" "select value from meta where key = '"'"'run_marker'"'"'" | cut -d" " -f1,2,4)" = "running $k2 crash" ]' \
  "the new kiosk's run marker: $(q "$t/d" "select value from meta where key = 'run_marker'")"
ready2=$(grep " READY=1$" "$t/notes" | tail -n 1 | cut -d' ' -f1)
sleep 2
pings=$(awk -v r="$ready2" '$2 == "WATCHDOG=1" && $1 >= r { n++ } END { print n + 0 }' "$t/notes")
check '[ "$pings" -ge 2 ]' "the new kiosk does not ping the watchdog ($pings): $(tail -n 5 "$t/notes")"

# a stop as systemd sends it: the parent first, then the kiosk
kill -TERM "$ppid_"
sleep 0.3
check 'kill -0 "$ppid_" 2>/dev/null && kill -0 "$k2" 2>/dev/null' "SIGTERM to the parent: it did not wait for its kiosk"
kill -TERM "$k2"
wait "$ppid_"
rc=$?
ppid_=""
check '[ $rc -eq 0 ]' "the parent's exit after the stop: $rc: $(grep -v ALSA "$t/err" | tail -n 3)"
check '! kill -0 "$k2" 2>/dev/null' "the kiosk outlived the stop"
check '[ "$(q "$t/d" "select value from meta where key = '"'"'run_marker'"'"'" | cut -d" " -f1)" = "clean" ]' \
  "the run did not end cleanly: $(q "$t/d" "select value from meta where key = 'run_marker'")"
check '[ "$(grep -c "RECAUDO-READY slot=none" "$t/out")" = 2 ]' "stdout: $(cat "$t/out")"
check '! grep -q "[0-9]\{6,\}" "$t/err"' "the log: $(cat "$t/err")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
