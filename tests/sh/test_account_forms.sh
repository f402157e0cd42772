#!/bin/sh
# The account services' typed-data screens (docs/account-services.md) end to end against the
# central simulator over HTTPS on 127.0.0.1, headless on the virtual clock, at 1280x800 and
# 1080x1920 (one customer without an account each, from assets/demo/accounts.json):
#   - services-register: bad input, the seed's mismatch message with the support line (the
#     data wiped), then the data that match: the account exists on the simulator, the code is
#     sent (read from GET /admin/otp while the kiosk waits on its script, a FIFO) and taken;
#   - services-security (change), right after: the image grid, the phrase with accents and ñ;
#     the simulator has them (GET /admin/account "security");
#   - services-contact: each rule's message, the confirmation masked; "Confirmar" while the
#     simulator commits event batches and drops the answer (drop_after_commit): the update
#     reaches the simulator exactly once (contact_updates 1) and the kiosk's event is acked
#     once the fault is lifted;
#   - coupon-email on a kiosk whose central API is down (tests/scenarios/coupon_email.script):
#     the request queued, then delivered by `recaudo sync` once the API is reachable, once;
#   - every screen: expect-no-overlap and expect-accessible; no ID, phone, e-mail or phrase
#     in the kiosk's log or the account audit rows.
# Usage: test_account_forms.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START come from tests/run.sh)
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
why() { grep -v ': accessible: \|^recaudo: retention\|lines ok$' "$t/$1.log" | tail -2; }
q() { /usr/bin/python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$1/recaudo.db" "$2"; }

simpid="" kpid=""
cleanup() {
  exec 3>&- 2>/dev/null
  [ -z "$kpid" ] || { kill "$kpid" 2>/dev/null; wait "$kpid" 2>/dev/null; }
  [ -z "$simpid" ] || { kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap '' PIPE

command -v curl >/dev/null || { echo "SKIP: no curl"; exit 0; }
if [ ! -x "$sim" ] || ! sh tools/gen-cert.sh "$t/tls" >/dev/null; then
  echo "FAIL: no simulator or no certificate"
  exit 1
fi
(umask 077; head -c 32 /dev/urandom >"$t/tls/secret"; head -c 32 /dev/urandom >"$t/tls/qrkey")
"$sim" --listen 127.0.0.1:0 --tls "$t/tls/server.pem" "$t/tls/server.key" --db "$t/tls/central.db" \
  --seed assets/demo/portfolio.json --accounts assets/demo/accounts.json \
  --device "K0001:$t/tls/secret:$t/tls/qrkey:1" --device "K0002:$t/tls/secret:$t/tls/qrkey:2" \
  --device "K0003:$t/tls/secret:$t/tls/qrkey:3" --port-file "$t/tls/port" --quiet 2>>"$t/sim.log" &
simpid=$!
i=0
while [ ! -s "$t/tls/port" ] && kill -0 "$simpid" 2>/dev/null && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.05; done
port=$(cat "$t/tls/port" 2>/dev/null)
[ -n "$port" ] || { echo "FAIL: the simulator did not start: $(tail -3 "$t/sim.log")"; exit 1; }
admin_get() { curl -s --cacert "$t/tls/ca.pem" "https://127.0.0.1:$port$1" 2>/dev/null; }
admin_post() { curl -s --cacert "$t/tls/ca.pem" -X POST -d "$2" "https://127.0.0.1:$port$1" 2>/dev/null; }
json() { /usr/bin/python3 -c 'import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    d = d[int(k)] if isinstance(d, list) else d.get(k) if isinstance(d, dict) else None
print("" if d is None else d)' "$1" 2>/dev/null; }
# customer ID FIELD: a field of the simulator's customer (GET /admin/account)
customer() { admin_get /admin/account | /usr/bin/python3 -c 'import json, sys
for c in json.load(sys.stdin)["customers"]:
    if c["id_number"] == sys.argv[1]: print(str(c[sys.argv[2]]).lower())' "$1" "$2" 2>/dev/null; }

# ini NAME KIOSK PORT: the kiosk's configuration against the simulator on PORT
ini() {
  printf '[kiosk]\nid = %s\nsupport_line = 601 555 0100\n\n[security]\nqr_key_file = %s\n\n[printer]\nbackend = virtual\ntarget = %s\n\n[central]\nurl = https://127.0.0.1:%s\ndevice_id = K000%s\nsecret_file = %s\nca_file = %s\npinned_key = %s\n' \
    "$2" "$t/tls/qrkey" "$t/paper-$1" "$3" "$2" "$t/tls/secret" "$t/tls/ca.pem" "$(cat "$t/tls/pin.txt")" >"$t/$1.ini"
  mkdir -p "$t/paper-$1"
}
# the kiosk on a script fed line by line (a FIFO): the test answers what only the simulator knows
kiosk() {
  n=$1 size=$2
  d=$t/data-$n
  mkdir -p "$d"
  ini "$n" "$3" "$port"
  rm -f "$t/fifo"
  mkfifo "$t/fifo"
  "$bin" --headless --config "$t/$n.ini" --data "$d" --size "$size" --start "$start" --script "$t/fifo" \
    --shots "$t/shots-$n" >"$t/$n.log" 2>&1 &
  kpid=$!
  exec 3>"$t/fifo"
}
feed() { for l in "$@"; do printf '%s\n' "$l" >&3; done; }
kiosk_end() {
  exec 3>&-
  wait "$kpid"
  krc=$?
  kpid=""
  return $krc
}
sync_n=0
synced() {
  sync_n=$((sync_n + 1))
  feed "shot sync$sync_n"
  i=0
  while [ ! -s "$t/shots-$n/sync$sync_n.png" ] && kill -0 "$kpid" 2>/dev/null && [ $i -lt 600 ]; do
    i=$((i + 1)); sleep 0.05
  done
  [ -s "$t/shots-$n/sync$sync_n.png" ]
}
new_code() {
  i=0
  while [ $i -lt 200 ]; do
    now=$(admin_get /admin/otp)
    [ "$now" != "$1" ] && [ -n "$(printf '%s' "$now" | json code)" ] && { printf '%s' "$now" | json code; return 0; }
    i=$((i + 1)); sleep 0.05
  done
  return 1
}
# wait_for CMD VALUE: up to 30 s for CMD's output to be VALUE
wait_for() {
  i=0
  while [ "$(eval "$1")" != "$2" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
  [ "$(eval "$1")" = "$2" ]
}

here=tests/account
# run_size NAME SIZE KIOSK ID EMAIL PHONE MASKED
run_size() {
  n=$1 size=$2 id=$4 email=$5 phone=$6
  kiosk "$n" "$size" "$3"
  check '[ "$(customer "$id" account)" = false ]' "$n: the customer has an account already"
  before=$(admin_get /admin/otp)
  last4=$(printf '%s' "$id" | tail -c 4)
  sed -e "s/@ID@/$id/g" -e "s/@LAST4@/$last4/g" -e "s/@EMAIL@/$email/g" -e "s/@PHONE@/$phone/g" \
    -e "s/@MASKED@/$7/g" "$here/forms_register.script" >&3
  code=$(new_code "$before") || { bad "$n: no code sent after registering: $(why "$n")"; kiosk_end; return; }
  check '[ "$(customer "$id" account)" = true ]' "$n: the registration did not reach the simulator"
  for dgt in $(printf '%s' "$code" | sed 's/./& /g'); do feed "type $dgt"; done
  feed "press \"Verificar\""
  cat "$here/forms_change.script" >&3
  synced || bad "$n: the change did not run: $(why "$n")"
  check '[ "$(customer "$id" security)" = true ]' "$n: the image and phrase did not reach the simulator"
  cat "$here/forms_contact.script" >&3
  synced || bad "$n: the contact screen did not run: $(why "$n")"
  # the event batch is committed and its answer dropped, again and again, until lifted
  admin_post /admin/faults '{"drop_after_commit":1}' >/dev/null
  cat "$here/forms_saved.script" >&3
  synced || bad "$n: the contact update did not run: $(why "$n")"
  check '[ "$(q "$t/data-$n" "select count(*) from outbox where type = '\''contact.updated'\''")" = 1 ]' \
    "$n: not one contact.updated in the outbox"
  check 'wait_for "customer $id contact_updates" 1' "$n: the update never reached the simulator"
  check '[ "$(q "$t/data-$n" "select state from outbox where type = '\''contact.updated'\''")" != 1 ]' \
    "$n: acked while every answer was dropped"
  admin_post /admin/faults '{"drop_after_commit":0}' >/dev/null
  check 'wait_for "q \"$t/data-$n\" \"select count(*) from outbox where type = '\''contact.updated'\'' and acked_at is not null\"" 1' \
    "$n: the kiosk never had its contact update acknowledged"
  kiosk_end
  check '[ $? -eq 0 ]' "$n: $(why "$n")"
  check '[ "$(customer "$id" contact_updates)" = 1 ]' "$n: the update arrived $(customer "$id" contact_updates) times"
  # acknowledged, the contact data leave the kiosk's outbox (the row stays, its payload goes)
  check '[ "$(q "$t/data-$n" "select payload from outbox where type = '\''contact.updated'\''")" = "{}" ]' \
    "$n: the acknowledged contact update still holds the data"
  check '[ "$(customer "$id" sms)" = "*** *** 4321" ] && [ "$(customer "$id" address)" = true ]' \
    "$n: the simulator's contact: $(customer "$id" sms) $(customer "$id" address)"
  d=$t/data-$n
  check '[ "$(q "$d" "select group_concat(result, '\'','\'') from audit where action = '\''account.registered'\''")" = mismatch,ok ]' \
    "$n: account.registered rows: $(q "$d" "select group_concat(result) from audit where action = 'account.registered'")"
  check '[ "$(q "$d" "select count(*) from audit where action = '\''account.security_changed'\'' and result = '\''ok'\'' and detail = '\'''\''")" = 1 ]' \
    "$n: no account.security_changed row (or one with a detail)"
  check '[ "$(q "$d" "select detail from audit where action = '\''contact.updated'\''")" = "fields=phone,email,address" ]' \
    "$n: contact.updated audit: $(q "$d" "select detail from audit where action = 'contact.updated'")"
  check '! grep -q "$id\|$phone\|$email\|3007654321\|nueva.direccion\|ñandú\|Calle 45" "$t/$n.log"' "$n: personal data in the kiosk's log"
  check '[ -z "$(q "$d" "select action || detail from audit where action like '\''account.%'\'' or action like '\''contact.%'\''" | grep "$id\|$last4\|$phone\|@\|ñandú\|Calle")" ]' \
    "$n: personal data in the account audit rows"
}

run_size land 1280x800 1 52123456 luz.cardenas@correo.com 3209876543 '\*\*\* \*\*\* 6543'
run_size port 1080x1920 2 79845123 jorge.ramirez@correo.com 3014567890 '\*\*\* \*\*\* 7890'

# ---- the coupon by e-mail on a kiosk whose central API is down, then delivered ----
ini off 3 1 # port 1 on loopback: nothing listens there
"$bin" --headless --demo --config "$t/off.ini" --data "$t/data-off" --size 1280x800 --start "$start" \
  --script tests/scenarios/coupon_email.script --shots "$t/shots-off" >"$t/off.log" 2>&1
check '[ $? -eq 0 ]' "offline coupon e-mail: $(why off)"
check '[ "$(q "$t/data-off" "select count(*) from outbox where type = '\''coupon.email_requested'\'' and acked_at is null")" = 1 ]' \
  "offline: the request is not queued once"
ref=$(q "$t/data-off" "select reference from coupons where seq = 1")
mails() { admin_get /admin/account | /usr/bin/python3 -c 'import json, sys
print(sum(m["count"] for m in json.load(sys.stdin)["coupon_emails"] if m["reference"] == sys.argv[1]))' "$1" 2>/dev/null; }
check '[ "$(mails "$ref")" = 0 ]' "the simulator had the e-mail request before the kiosk reconnected"
ini on 3 "$port"
"$bin" sync --data "$t/data-off" --config "$t/on.ini" >"$t/sync1.log" 2>&1
"$bin" sync --data "$t/data-off" --config "$t/on.ini" >"$t/sync2.log" 2>&1
check '[ "$(mails "$ref")" = 1 ]' "after reconnecting: the e-mail request arrived $(mails "$ref") times: $(tail -2 "$t/sync1.log")"
check '[ "$(q "$t/data-off" "select count(*) from outbox where type = '\''coupon.email_requested'\'' and acked_at is not null")" = 1 ]' \
  "the e-mail request is not acked after reconnecting"
check '[ "$(q "$t/data-off" "select payload from outbox where type = '\''coupon.email_requested'\''")" = "{}" ]' \
  "the acknowledged coupon e-mail request still holds the address"
check '! grep -q "maria.nunez" "$t/off.log" "$t/sync1.log" "$t/sync2.log"' "the e-mail in a log"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
