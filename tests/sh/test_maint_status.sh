#!/bin/sh
# `recaudo maint status [--json]` (docs/maintenance.md "Estado"):
#   - no store, or a bad configuration: exit 1 with the reason, nothing created;
#   - a kiosk's store: the queue counts the events really written (test pages, audited), the
#     printer is asked (a virtual printer with its cover open is red), quick_check ok, the last
#     start as the kiosk noted it, the text form one line per item;
#   - the central simulator over HTTPS on 127.0.0.1 with a certificate made here: a signed
#     heartbeat accepted (the simulator counts it) with a latency at least the simulator's
#     injected delay, the certificate's days left and expiry as openssl reads the file (20
#     days: amber; 5 days: red); the simulator stopped: the network is red, exit still 0;
#   - the Estado screen's scenario: one status.view audit row per gathering, the chain whole;
#   - a kiosk running in a window (offscreen): running with an uptime, its printer left alone;
#     SIGTERM notes a clean exit, SIGKILL none, and the next start says "crash".
# Usage: test_maint_status.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START come from tests/run.sh)
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
# j FILE PATH: a field of a JSON file ("sync_queue.pending"); null prints "null"
j() { /usr/bin/python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v = v[int(k)] if isinstance(v, list) else v[k]
print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"; }
q() { /usr/bin/python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$1/recaudo.db" "$2"; }

simpid=""
kpid=""
cleanup() {
  [ -z "$simpid" ] || { kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null; }
  [ -z "$kpid" ] || { kill -9 "$kpid" 2>/dev/null; wait "$kpid" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- no store, a bad configuration ----
"$bin" maint status --data "$t/none" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "maint status: no store at $t/none/recaudo.db" "$t/err" && [ ! -e "$t/none" ]' \
  "no store: $(cat "$t/out" "$t/err")"
printf '[kiosk]\nid = zero\n' >"$t/bad.ini"
"$bin" maint status --data "$t/none" --config "$t/bad.ini" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "bad.ini:2: " "$t/err" && [ ! -s "$t/out" ] && [ ! -e "$t/none" ]' "bad config: $(cat "$t/out" "$t/err")"

# ---- a kiosk's store, no central API ----
printf 'expect-screen attract\n' >"$t/a.script"
"$bin" --headless --demo --data "$t/d" --start "$start" --script "$t/a.script" --shots "$t/shots" >/dev/null 2>&1
for i in 1 2 3; do "$bin" maint test-page --data "$t/d" >/dev/null 2>&1; done
queued=$(q "$t/d" "select count(*) from outbox where state in (0, 1)")
"$bin" maint status --json --data "$t/d" >"$t/s.json" 2>"$t/err"
check '[ $? -eq 0 ] && [ "$queued" = 3 ]' "status --json: $(cat "$t/err") (queued $queued)"
check '[ "$(j "$t/s.json" sync_queue.pending)" = "$queued" ] && [ "$(j "$t/s.json" sync_queue.dead_letters)" = 0 ]' \
  "queue: $(j "$t/s.json" sync_queue.text)"
check '[ "$(j "$t/s.json" sync_queue.level)" = info ]' "standalone queue level $(j "$t/s.json" sync_queue.level)"
check '[ "$(j "$t/s.json" printer.asked)" = true ] && [ "$(j "$t/s.json" printer.state)" = ready ] && [ "$(j "$t/s.json" printer.level)" = ok ]' \
  "printer: $(j "$t/s.json" printer.text)"
check '[ "$(j "$t/s.json" printer.last_job.kind)" = test ] && [ "$(j "$t/s.json" printer.last_job.state)" = printed ]' \
  "printer's last job: $(j "$t/s.json" printer.last_job)"
check '[ "$(j "$t/s.json" store.quick_check)" = ok ] && [ "$(j "$t/s.json" store.level)" = ok ]' "store: $(j "$t/s.json" store.text)"
check '[ "$(j "$t/s.json" store.store_bytes)" -gt 0 ] && [ "$(j "$t/s.json" disk.free_bytes)" -gt 0 ]' "sizes: $(j "$t/s.json" disk.text)"
check '[ "$(j "$t/s.json" last_start.reason)" = first_start ] && [ "$(j "$t/s.json" uptime.running)" = false ]' \
  "last start: $(j "$t/s.json" last_start.text) / $(j "$t/s.json" uptime.text)"
check '[ "$(j "$t/s.json" central_api.level)" = info ] && [ "$(j "$t/s.json" trm.valid_today)" = true ]' \
  "no central: $(j "$t/s.json" central_api.text); trm $(j "$t/s.json" trm.text)"
check '[ "$(j "$t/s.json" version)" = "$(j "$t/s.json" software.version)" ] && [ "$(j "$t/s.json" kiosk_id)" = 1 ]' "software"
"$bin" maint status --data "$t/d" >"$t/out" 2>&1
check '[ $? -eq 0 ] && [ "$(grep -c -E "^(OK|WARN|FAIL|INFO) " "$t/out")" -eq 12 ] && grep -q "^OK    Store .*intact (quick_check)" "$t/out"' \
  "text form: $(cat "$t/out")"
# a printer with its cover open is red; the command changed nothing in the store
mkdir -p "$t/paper"
printf '[printer]\nbackend = virtual\ntarget = %s?cover_open=1\n' "$t/paper" >"$t/cover.ini"
before=$(q "$t/d" "select count(*) from audit")
"$bin" maint status --json --data "$t/d" --config "$t/cover.ini" >"$t/c.json" 2>&1
check '[ "$(j "$t/c.json" printer.state)" = cover_open ] && [ "$(j "$t/c.json" printer.level)" = fail ] && [ "$(j "$t/c.json" overall)" = fail ]' \
  "cover open: $(j "$t/c.json" printer.text)"
check '[ "$(q "$t/d" "select count(*) from audit")" = "$before" ]' "maint status wrote an audit row"

# ---- the central simulator over HTTPS ----
if [ -x "$sim" ] && sh tools/gen-cert.sh "$t/tls" >/dev/null; then
  (umask 077; head -c 32 /dev/urandom >"$t/tls/secret"; head -c 32 /dev/urandom >"$t/tls/qrkey")
  start_sim() { # start_sim SWITCHES...: on a free port; sets simpid and port
    rm -f "$t/tls/port"
    "$sim" --listen 127.0.0.1:0 --tls "$t/tls/server.pem" "$t/tls/server.key" --db "$t/tls/central.db" \
      --device "K0001:$t/tls/secret:$t/tls/qrkey:1" --port-file "$t/tls/port" --quiet "$@" 2>>"$t/tls/sim.log" &
    simpid=$!
    i=0
    while [ ! -s "$t/tls/port" ]; do
      i=$((i + 1))
      if ! kill -0 "$simpid" 2>/dev/null || [ $i -gt 300 ]; then simpid=""; return 1; fi
      sleep 0.05
    done
    port=$(cat "$t/tls/port")
  }
  stop_sim() { kill "$simpid"; wait "$simpid"; simpid=""; }
  # the expiry of a certificate file in epoch seconds, as openssl reads it
  enddate() { date -u -d "$(openssl x509 -in "$1" -noout -enddate | cut -d= -f2)" +%s; }
  kiosk_ini() {
    printf '[kiosk]\nid = 1\n\n[central]\nurl = https://127.0.0.1:%s\ndevice_id = K0001\nsecret_file = %s\nca_file = %s\npinned_key = %s\n' \
      "$port" "$t/tls/secret" "$t/tls/ca.pem" "$(cat "$t/tls/pin.txt")" >"$t/k.ini"
  }
  # resign DAYS: the server's key in a certificate from the test CA for DAYS days (the pin holds)
  resign() {
    (cd "$t/tls" && printf 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1, DNS:localhost\n' >short.ext &&
      openssl req -new -key server.key -subj /CN=127.0.0.1 -out short.csr 2>/dev/null &&
      openssl x509 -req -in short.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" -days "$1" \
        -extfile short.ext -out server.pem 2>/dev/null)
  }
  # days_ok FILE DAYS: days_left is DAYS, or DAYS - 1 when a second passed since the certificate
  # was made, exactly as not_after and generated_at say; not_after is the file's
  days_ok() {
    na=$(date -u -d "$(j "$1" tls_certificate.not_after)" +%s)
    gen=$(date -u -d "$(j "$1" generated_at)" +%s)
    left=$(j "$1" tls_certificate.days_left)
    [ "$na" = "$(enddate "$t/tls/server.pem")" ] && [ "$left" = $(((na - gen) / 86400)) ] &&
      { [ "$left" = "$2" ] || [ "$left" = $(($2 - 1)) ]; }
  }
  resign 20
  if start_sim --latency-ms 40; then
    kiosk_ini
    "$bin" maint status --json --data "$t/d" --config "$t/k.ini" >"$t/n.json" 2>"$t/err"
    check '[ $? -eq 0 ] && [ "$(j "$t/n.json" central_api.heartbeat)" = ok ] && [ "$(j "$t/n.json" central_api.level)" = ok ]' \
      "heartbeat: $(j "$t/n.json" central_api.text) $(cat "$t/err")"
    lat=$(j "$t/n.json" central_api.latency_ms)
    check '/usr/bin/python3 -c "import sys; sys.exit(0 if 40 <= float(sys.argv[1]) < 5000 else 1)" "$lat"' \
      "latency $lat ms with 40 ms injected"
    check '[ "$(j "$t/n.json" network.level)" = ok ] && [ "$(j "$t/n.json" network.reached)" = true ]' "network: $(j "$t/n.json" network.text)"
    stats=$(curl -s --cacert "$t/tls/ca.pem" "https://127.0.0.1:$port/admin/stats")
    beats=$(printf '%s' "$stats" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["devices"][0]["heartbeats"])')
    check '[ "$beats" = 1 ]' "the simulator counted $beats heartbeats: $stats"
    check 'days_ok "$t/n.json" 20 && [ "$(j "$t/n.json" tls_certificate.level)" = warn ]' \
      "20-day certificate: $(j "$t/n.json" tls_certificate.text), file $(openssl x509 -in "$t/tls/server.pem" -noout -enddate)"
    check '[ "$(j "$t/n.json" sync_queue.level)" = ok ] && [ "$(j "$t/n.json" sync_queue.pending)" = "$queued" ]' \
      "queue with a central API: $(j "$t/n.json" sync_queue.text)"
    stop_sim
  else
    bad "the simulator did not start: $(cat "$t/tls/sim.log")"
  fi
  resign 5
  if start_sim; then
    kiosk_ini
    "$bin" maint status --json --data "$t/d" --config "$t/k.ini" >"$t/n5.json" 2>"$t/err"
    check 'days_ok "$t/n5.json" 5 && [ "$(j "$t/n5.json" tls_certificate.level)" = fail ]' \
      "5-day certificate: $(j "$t/n5.json" tls_certificate.text) $(cat "$t/err")"
    check '[ "$(j "$t/n5.json" central_api.level)" = ok ]' "the API with a 5-day certificate: $(j "$t/n5.json" central_api.text)"
    stop_sim
  else
    bad "the simulator did not start with the short certificate: $(cat "$t/tls/sim.log")"
  fi
  # no server: the network is red, the dashboard still gathered
  "$bin" maint status --json --data "$t/d" --config "$t/k.ini" >"$t/x.json" 2>"$t/err"
  check '[ $? -eq 0 ] && [ "$(j "$t/x.json" network.level)" = fail ] && [ "$(j "$t/x.json" central_api.heartbeat)" = network ]' \
    "server down: $(j "$t/x.json" network.text) $(cat "$t/err")"
  check '[ "$(j "$t/x.json" tls_certificate.days_left)" = null ] && [ "$(j "$t/x.json" tls_certificate.level)" = info ]' \
    "server down, certificate: $(j "$t/x.json" tls_certificate.text)"
else
  bad "$sim is not built or the certificates could not be made"
fi

# ---- the screen: each gathering is one audit row (tests/scenarios/maint_status.script) ----
"$bin" --headless --demo --data "$t/scn" --start "$start" --script tests/scenarios/maint_status.script \
  --shots "$t/scn-shots" >"$t/scn.out" 2>&1
check '[ $? -eq 0 ] && [ "$(q "$t/scn" "select result, detail from audit where action = '"'"'status.view'"'"'")" = "ok|overall=ok fail=0 warn=0
ok|overall=ok fail=0 warn=0" ]' "status.view audit rows: $(q "$t/scn" "select action, result, detail from audit") $(tail -3 "$t/scn.out")"
"$bin" audit verify --data "$t/scn" >"$t/out" 2>&1
check '[ $? -eq 0 ]' "audit verify after the screen: $(cat "$t/out")"

# ---- a kiosk running in a window ----
SDL_VIDEODRIVER=offscreen "$bin" --data "$t/d" >"$t/kiosk.log" 2>&1 &
kpid=$!
i=0
while [ "$(q "$t/d" "select value from meta where key = 'run_marker'" | cut -d' ' -f1-2)" != "running $kpid" ]; do
  i=$((i + 1)); [ $i -le 200 ] && kill -0 "$kpid" 2>/dev/null || break; sleep 0.05
done
sleep 1.1
"$bin" maint status --json --data "$t/d" >"$t/r.json" 2>&1
check '[ "$(j "$t/r.json" uptime.running)" = true ] && [ "$(j "$t/r.json" uptime.uptime_s)" -ge 1 ]' \
  "running kiosk: $(j "$t/r.json" uptime.text) $(cat "$t/kiosk.log")"
check '[ "$(j "$t/r.json" printer.held_by_kiosk)" = true ] && [ "$(j "$t/r.json" printer.level)" = info ]' \
  "running kiosk's printer: $(j "$t/r.json" printer.text)"
check '[ "$(j "$t/r.json" last_start.reason)" = clean ]' "after a clean headless run: $(j "$t/r.json" last_start.text)"
kill -TERM "$kpid"; wait "$kpid"; kpid=""
check '[ "$(q "$t/d" "select value from meta where key = '"'"'run_marker'"'"'" | cut -d" " -f1)" = clean ]' \
  "SIGTERM: $(q "$t/d" "select value from meta where key = 'run_marker'")"
SDL_VIDEODRIVER=offscreen "$bin" --data "$t/d" >>"$t/kiosk.log" 2>&1 &
kpid=$!
i=0
while [ "$(q "$t/d" "select value from meta where key = 'run_marker'" | cut -d' ' -f1-2)" != "running $kpid" ]; do
  i=$((i + 1)); [ $i -le 200 ] && kill -0 "$kpid" 2>/dev/null || break; sleep 0.05
done
kill -9 "$kpid"; wait "$kpid" 2>/dev/null; kpid=""
"$bin" --headless --data "$t/d" --start "$start" --script "$t/a.script" --shots "$t/shots" >/dev/null 2>&1
"$bin" maint status --json --data "$t/d" >"$t/k.json" 2>&1
check '[ "$(j "$t/k.json" last_start.reason)" = crash ] && [ "$(j "$t/k.json" last_start.level)" = warn ]' \
  "after SIGKILL: $(j "$t/k.json" last_start.text)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
