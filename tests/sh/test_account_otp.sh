#!/bin/sh
# Account services, verification (docs/account-services.md), headless on the virtual clock
# against the central simulator over HTTPS on 127.0.0.1, at 1080x1920 and 1280x800:
#   - "Mis servicios" on the portfolio: the security image and phrase before any code, the
#     channels masked; the code sent (the simulator's message outbox, --message-dir, and its
#     GET /admin/otp agree), typed, the menu; "Volver a mis pagos" finds the selection kept;
#   - three wrong codes end the session (attract, the audit says so, nothing personal in it);
#   - "Reenviar" only after 60 s, three codes a visit, the last one good; leaving the services
#     and coming back in the same session gives no new tries and no early code;
#   - spoken guidance through a loudspeaker: each screen said, the phrase and image never;
#   - the inactivity countdown ends the whole session;
#   - offline (nothing on the API's port): the services say they need the connection, fast;
#   - no phone, e-mail, code, phrase, name or ID in the kiosk's or the simulator's log.
# Usage: test_account_otp.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
build=$(dirname "$bin")
sim=$build/central-sim
start=${RECAUDO_START:-1795359600}
export TZ='<-05>5'
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
q() { /usr/bin/python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$1/recaudo.db" "$2"; }
# run NAME SIZE SCRIPT [ARGS...]: a headless kiosk run on its own data; output in $t/NAME.log
run() {
  n=$1 size=$2 script=$3
  shift 3
  sed "s|@DIR@|$t|g" "$script" >"$t/$n.script"
  "$bin" --headless --demo --data "$t/data-$n" --size "$size" --start "$start" --script "$t/$n.script" \
    --shots "$t/shots-$n" "$@" >"$t/$n.log" 2>&1
}

simpid=""
cleanup() { [ -z "$simpid" ] || { kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null; }; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$sim" ] || ! sh tools/gen-cert.sh "$t/tls" >/dev/null; then
  bad "no simulator or no certificate: the account services are not tested"
  echo "$pass passed, $fail failed"
  exit 1
fi
(umask 077; head -c 32 /dev/urandom >"$t/tls/secret"; head -c 32 /dev/urandom >"$t/tls/qrkey")
mkdir -p "$t/msgs"
"$sim" --listen 127.0.0.1:0 --tls "$t/tls/server.pem" "$t/tls/server.key" --db "$t/tls/central.db" \
  --seed assets/demo/portfolio.json --accounts assets/demo/accounts.json --message-dir "$t/msgs" --otp-resend-s 0 \
  --device "T01:$t/tls/secret:$t/tls/qrkey:1" --port-file "$t/tls/port" 2>>"$t/sim.log" &
simpid=$!
i=0
while [ ! -s "$t/tls/port" ] && kill -0 "$simpid" 2>/dev/null && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.05; done
port=$(cat "$t/tls/port" 2>/dev/null)
ini() { # ini FILE PORT
  printf '[kiosk]\nid = 1\n\n[security]\nqr_key_file = %s\n\n[central]\nurl = https://127.0.0.1:%s\ndevice_id = T01\nsecret_file = %s\nca_file = %s\npinned_key = %s\n' \
    "$t/tls/qrkey" "$2" "$t/tls/secret" "$t/tls/ca.pem" "$(cat "$t/tls/pin.txt")" >"$1"
}
ini "$t/online.ini" "$port"

for size in 1080x1920 1280x800; do
  run "verify-$size" "$size" tests/account/verify.script --config "$t/online.ini"
  check '[ $? -eq 0 ]' "verify at $size: $(tail -3 "$t/verify-$size.log")"
done
d="$t/data-verify-1080x1920"
check '[ "$(q "$d" "select group_concat(action || '\'':'\'' || result) from (select action, result from audit where action like '\''account.%'\'' order by rowid)")" = "account.lookup:account,account.otp_sent:ok,account.verified:ok" ]' \
  "verify audit: $(q "$d" "select action, result, detail from audit where action like 'account.%'")"
# the admin route says the same code the message carried
code=$(cat "$t/msgs/last-code" 2>/dev/null)
admin=$(/usr/bin/python3 -c 'import json, ssl, sys, urllib.request
c = ssl.create_default_context(cafile=sys.argv[2])
print(json.load(urllib.request.urlopen("https://127.0.0.1:%s/admin/otp" % sys.argv[1], context=c))["code"])' "$port" "$t/tls/ca.pem" 2>/dev/null)
check '[ -n "$code" ] && [ "$code" = "$admin" ]' "the message's code ($code) is not /admin/otp's ($admin)"

run wrong 1080x1920 tests/account/wrong_code.script --config "$t/online.ini"
check '[ $? -eq 0 ]' "three wrong codes: $(tail -3 "$t/wrong.log")"
check '[ "$(q "$t/data-wrong" "select count(*) from audit where action = '\''account.otp_failed'\''")" = 3 ]' \
  "wrong codes audited: $(q "$t/data-wrong" "select action, result from audit where action like 'account.%'")"
check '[ "$(q "$t/data-wrong" "select result from audit where action = '\''account.end'\''")" = wrong_code ]' \
  "the end of the session is not audited as wrong_code"

run carry 1080x1920 tests/account/carry.script --config "$t/online.ini"
check '[ $? -eq 0 ]' "back and again: $(tail -3 "$t/carry.log")"
check '[ "$(q "$t/data-carry" "select count(*) from audit where action = '\''account.otp_sent'\''")" = 1 ]' \
  "back and again: a second code was sent within the minute"

run resend 1280x800 tests/account/resend.script --config "$t/online.ini"
check '[ $? -eq 0 ]' "resend: $(tail -3 "$t/resend.log")"
check '[ "$(q "$t/data-resend" "select count(*) from audit where action = '\''account.otp_sent'\''")" = 3 ]' \
  "three codes sent: $(q "$t/data-resend" "select action, result from audit where action like 'account.%'")"

run speech 1080x1920 tests/account/speech.script --config "$t/online.ini"
check '[ $? -eq 0 ]' "spoken guidance: $(tail -3 "$t/speech.log")"

run idle 1080x1920 tests/account/idle.script --config "$t/online.ini"
check '[ $? -eq 0 ]' "idle: $(tail -3 "$t/idle.log")"

# offline: a port nothing listens on (the simulator's, once it stopped)
kill "$simpid"; wait "$simpid" 2>/dev/null; simpid=""
ini "$t/offline.ini" "$port"
for size in 1080x1920 1280x800; do
  t0=$(date +%s)
  run "offline-$size" "$size" tests/account/offline.script --config "$t/offline.ini"
  check '[ $? -eq 0 ]' "offline at $size: $(tail -3 "$t/offline-$size.log")"
  check '[ $(( $(date +%s) - t0 )) -lt 20 ]' "offline at $size took $(( $(date +%s) - t0 )) s"
done

# nothing personal in any log: the phone, the e-mail, the codes, the phrase, the name, the ID
check '! grep -l "3001234567\|maria.nunez\|Lucas\|Núñez\|1020304050" "$t"/*.log' \
  "personal data in a log: $(grep -l "3001234567\|maria.nunez\|Lucas\|Núñez\|1020304050" "$t"/*.log)"
check '[ -z "$code" ] || ! grep -q "$code" "$t"/*.log' "the code in a log"
check '! q "$d" "select detail from audit" | grep -q "3001234567\|maria\|Lucas\|1020304050"' \
  "personal data in the audit"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
