#!/bin/sh
# `recaudo update-wait --version V [--timeout-s N]` (docs/operations.md "recaudo update-wait"):
#   - bad arguments: exit 1 with the reason, nothing written; no store: clear (exit 0);
#   - a store whose outbox holds only a maintenance event (a test page): clear at once (exit 0);
#   - a scripted customer session's coupon.issued pending: --timeout-s 3 ends with exit 3 and one
#     line saying 1 money event (no key, sequence or ID in it), and the hold cleared;
#   - waiting on it in the background: the hold is in `recaudo status --json` ("update"); a round
#     of the sync worker (`recaudo sync`) against the central simulator over HTTPS acknowledges
#     the coupon and its heartbeat carries the hold (the simulator's /admin/stats last_heartbeat;
#     the wait is paused with SIGSTOP meanwhile, so that the heartbeat cannot miss it); resumed,
#     the wait ends with exit 0 and the hold is gone from the store and the next heartbeat;
#   - a dead money letter does not hold an update (exit 0), and the line says it needs a
#     technician; SIGTERM during a wait: exit 1, the hold cleared.
# Usage: test_update_wait.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
build=$(dirname "$bin")
sim=$build/central-sim
start=${RECAUDO_START:-1795359600}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
d=$t/d
q() { sqlite3 "$1/recaudo.db" "$2"; }
# j FILE PATH: a field of a JSON file; null prints "null"
j() { /usr/bin/python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v = v[int(k)] if isinstance(v, list) else v[k]
print("null" if v is None else v)' "$1" "$2"; }

simpid="" wpid=""
cleanup() {
  [ -z "$wpid" ] || { kill -CONT "$wpid" 2>/dev/null; kill -9 "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null; }
  [ -z "$simpid" ] || { kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM
hold() { q "$1" "SELECT value FROM meta WHERE key = 'update_hold'"; }

# ---- bad arguments, no store ----
"$bin" update-wait --data "$t/none" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "version V is required" "$t/err" && [ ! -e "$t/none" ]' "no version: $(cat "$t/err")"
"$bin" update-wait --version '1.4 0;x' --data "$t/none" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "\-\-version: 1 to 32 characters" "$t/err"' "bad version: $(cat "$t/err")"
"$bin" update-wait --version 1.4.0 --timeout-s -1 --data "$t/none" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "timeout-s wants seconds" "$t/err"' "bad timeout: $(cat "$t/err")"
"$bin" update-wait --version 1.4.0 --data "$t/none" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -q "clear to install 1.4.0: no store" "$t/out" && [ ! -e "$t/none" ]' "no store: $(cat "$t/out" "$t/err")"

# ---- only a maintenance event: not money ----
printf 'expect-screen attract\n' >"$t/a.script"
"$bin" --headless --demo --data "$t/m" --start "$start" --script "$t/a.script" --shots "$t/shots" >/dev/null 2>&1
"$bin" maint test-page --data "$t/m" >/dev/null 2>&1
check '[ "$(q "$t/m" "SELECT count(*) FROM outbox WHERE state = 0 AND type = '"'"'maintenance.action'"'"'")" -ge 1 ]' \
  "no maintenance event queued"
"$bin" update-wait --version 1.4.0 --timeout-s 3 --data "$t/m" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -q "clear to install 1.4.0: no money event waiting" "$t/out"' \
  "a maintenance event held the update: $(cat "$t/out" "$t/err")"

# ---- a coupon waiting: the timeout ----
"$bin" --headless --demo --data "$d" --start "$start" --script tests/scenarios/journey_coupon.script \
  --shots "$t/shots" >"$t/session.out" 2>&1
check '[ $? -eq 0 ] && [ "$(q "$d" "SELECT count(*) FROM outbox WHERE state = 0 AND type = '"'"'coupon.issued'"'"'")" = 1 ]' \
  "session: $(tail -3 "$t/session.out")"
key=$(q "$d" "SELECT key FROM outbox WHERE type = 'coupon.issued'")
seq=$(q "$d" "SELECT seq FROM outbox WHERE type = 'coupon.issued'")
idn=$(q "$d" "SELECT json_extract(payload, '\$.id_number') FROM outbox WHERE type = 'coupon.issued'")
t0=$(date +%s)
"$bin" update-wait --version 1.4.0 --timeout-s 3 --data "$d" >"$t/out" 2>"$t/err"
rc=$? t1=$(date +%s)
check '[ $rc -eq 3 ] && [ $((t1 - t0)) -ge 3 ] && [ $((t1 - t0)) -le 6 ]' "timeout: exit $rc after $((t1 - t0)) s: $(cat "$t/out" "$t/err")"
check '[ "$(grep -c "1 money events still not acknowledged by the server after 3 s" "$t/out")" = 1 ]' "timeout line: $(cat "$t/out")"
check '! grep -q -e "$key" -e "$idn" -e "seq" "$t/out" "$t/err"' "a key, an ID or a sequence in the output: $(cat "$t/out")"
check '[ -z "$(hold "$d")" ]' "the hold left after the timeout: $(hold "$d")"

# ---- waiting while the sync worker sends it ----
if [ -x "$sim" ] && sh tools/gen-cert.sh "$t/tls" >/dev/null; then
  (umask 077; head -c 32 /dev/urandom >"$t/tls/secret")
  "$sim" --listen 127.0.0.1:0 --tls "$t/tls/server.pem" "$t/tls/server.key" --db "$t/tls/central.db" \
    --seed assets/demo/portfolio.json --device "K0001:$t/tls/secret:$d/kiosk.key:1" \
    --port-file "$t/tls/port" --quiet 2>"$t/tls/sim.log" &
  simpid=$!
  i=0
  while [ ! -s "$t/tls/port" ] && [ $i -lt 300 ] && kill -0 "$simpid" 2>/dev/null; do i=$((i + 1)); sleep 0.05; done
  port=$(cat "$t/tls/port" 2>/dev/null)
  printf '[kiosk]\nid = 1\n\n[central]\nurl = https://127.0.0.1:%s\ndevice_id = K0001\nsecret_file = %s\nca_file = %s\npinned_key = %s\n' \
    "$port" "$t/tls/secret" "$t/tls/ca.pem" "$(cat "$t/tls/pin.txt")" >"$t/k.ini"
  stats() { curl -s --cacert "$t/tls/ca.pem" "https://127.0.0.1:$port/admin/stats" >"$t/stats.json"; }
  "$bin" update-wait --version 1.4.0 --data "$d" >"$t/w.out" 2>"$t/w.err" &
  wpid=$!
  i=0
  while [ -z "$(hold "$d")" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
  "$bin" status --json --data "$d" >"$t/s.json" 2>&1
  check '[ "$(j "$t/s.json" update.state)" = waiting ] && [ "$(j "$t/s.json" update.version)" = 1.4.0 ] && [ "$(j "$t/s.json" update.money_events)" = 1 ]' \
    "status during the wait: $(cat "$t/s.json")"
  since=$(j "$t/s.json" update.since)
  check '[ "$since" -ge "$t0" ] && [ "$since" -le "$(date +%s)" ]' "since $since"
  check 'grep -q "holding the update to 1.4.0: 1 money events not yet acknowledged" "$t/w.out"' "wait: $(cat "$t/w.out" "$t/w.err")"
  kill -STOP "$wpid"
  "$bin" sync --data "$d" --config "$t/k.ini" >"$t/sync.out" 2>&1
  check '[ $? -eq 0 ] && [ "$(q "$d" "SELECT state FROM outbox WHERE key = '"'$key'"'")" = 2 ]' "sync: $(cat "$t/sync.out")"
  stats
  check '[ "$(j "$t/stats.json" devices.0.last_heartbeat.update.state)" = waiting ] &&
    [ "$(j "$t/stats.json" devices.0.last_heartbeat.update.version)" = 1.4.0 ] &&
    [ "$(j "$t/stats.json" devices.0.last_heartbeat.update.since)" = "$since" ] &&
    [ "$(j "$t/stats.json" devices.0.last_heartbeat.update.money_events)" = 1 ]' "heartbeat during the wait: $(cat "$t/stats.json")"
  kill -CONT "$wpid"
  wait "$wpid"
  rc=$?
  wpid=""
  check '[ $rc -eq 0 ] && grep -q "clear to install 1.4.0" "$t/w.out"' "after the ack: exit $rc: $(cat "$t/w.out" "$t/w.err")"
  check '[ -z "$(hold "$d")" ]' "the hold left after the wait: $(hold "$d")"
  "$bin" status --json --data "$d" >"$t/s2.json" 2>&1
  check '[ "$(j "$t/s2.json" update)" = null ]' "status after the wait: $(cat "$t/s2.json")"
  "$bin" sync --data "$d" --config "$t/k.ini" >"$t/sync2.out" 2>&1
  stats
  check '[ "$(j "$t/stats.json" devices.0.heartbeats)" = 2 ] && /usr/bin/python3 -c "import json, sys
sys.exit(\"update\" in json.load(open(sys.argv[1]))[\"devices\"][0][\"last_heartbeat\"])" "$t/stats.json"' \
    "the next heartbeat still has an update: $(cat "$t/stats.json")"
  kill "$simpid"; wait "$simpid"; simpid=""
else
  bad "$sim is not built or the certificates could not be made"
fi

# ---- a dead money letter does not hold it; SIGTERM ends a wait ----
q "$d" "UPDATE outbox SET state = 3, reason = 'test', acked_at = $start WHERE key = '$key'"
"$bin" update-wait --version 1.4.0 --timeout-s 3 --data "$d" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -q "clear to install 1.4.0: .*(1 dead letters with money need a technician" "$t/out"' \
  "dead letter: $(cat "$t/out" "$t/err")"
q "$d" "UPDATE outbox SET state = 0, reason = NULL, acked_at = NULL WHERE key = '$key'"
"$bin" update-wait --version 1.5.0 --data "$d" >"$t/out" 2>"$t/err" &
wpid=$!
i=0
while [ -z "$(hold "$d")" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
check '[ "$(hold "$d" | cut -d" " -f2-)" = "1 1.5.0" ]' "hold: $(hold "$d")"
kill -TERM "$wpid"; wait "$wpid"; rc=$?; wpid=""
check '[ $rc -eq 1 ] && grep -q "stopped by signal" "$t/err" && [ -z "$(hold "$d")" ]' "SIGTERM: exit $rc, hold '$(hold "$d")': $(cat "$t/err")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
