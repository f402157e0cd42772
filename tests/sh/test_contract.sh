#!/bin/sh
# Contract test: the kiosk's requests and the simulator's answers against docs/api/openapi.yaml.
#
# The central simulator runs with --record (every /v1 exchange as a JSON line) while this test
# makes its own traffic, so it depends on no other test:
#   1. the kiosk driver (the real store, outbox and sync worker) issues coupons and queues
#      events of an unknown type (answered "rejected"), drains (events, portfolio changes,
#      TRM, heartbeat), then makes online lookups (debts found, and one 404);
#   2. the same with the simulator answering half the requests 502, then 504, 503, 500, 429;
#   3. signed requests the kiosk never sends itself (tests/contract/send.py): a heartbeat and a
#      debts query each sent twice with the same request id (200, then 409 replayed), a bad
#      signature (401) and a body that is not JSON (400);
#   4. a field agent's login, accepted (200) and refused (403);
#   5. the account services (tests/contract/account.py, docs/account-services.md): every
#      route signed, the one-time code's rules (wrong codes, locked, too soon, too many sends,
#      expired by the simulator's clock), tokens, statements, certificates verified with the
#      test's own Ed25519 key (and refused under the two certificate faults), history,
#      registration, the events contact.updated and coupon.email_requested; then a
#      simulator without --cert-key answers a certificate 503 no_signing_key.
# Then tests/contract/validate.py checks every recorded request and response body against
# the schema of its route and status (an undeclared route or status fails too), that each
# kind of exchange above was seen, and, with --self-check, that bodies broken on purpose are
# refused (so the test cannot pass by validating nothing).
#
# Usage: test_contract.sh TMPDIR (RECAUDO_BIN from tests/run.sh locates the build directory).
# Needs Debian's python3-jsonschema and python3-yaml (config.mk DEBS); /usr/bin/python3, not
# whatever python3 is first on PATH. Ends with "N passed, N failed".
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
build=$(dirname "$bin")
sim=$build/central-sim
drv=$build/kiosk-driver
py=/usr/bin/python3
demo=assets/demo/portfolio.json
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

simpid=""
cleanup() {
  [ -z "$simpid" ] || kill "$simpid" 2>/dev/null
  [ -z "$simpid" ] || wait "$simpid" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for f in "$sim" "$drv"; do
  [ -x "$f" ] || { echo "test_contract: $f is not built"; echo "0 passed, 1 failed"; exit 1; }
done
"$py" -c 'import jsonschema, yaml' || {
  echo "test_contract: needs python3-jsonschema and python3-yaml (make deps)"
  echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$t"
sh tools/gen-cert.sh "$t" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
pin=$(cat "$t/pin.txt")
(umask 077; head -c 32 /dev/urandom >"$t/secret"; head -c 32 /dev/urandom >"$t/qrkey")
rec=$t/record.jsonl
: >"$rec"
# the certificate signing key and its public half (the kiosk's [services] certificate_key)
openssl genpkey -algorithm ed25519 -out "$t/cert.key" 2>/dev/null &&
  openssl pkey -in "$t/cert.key" -pubout -out "$t/cert.pub" 2>/dev/null ||
  { echo "test_contract: openssl cannot make an Ed25519 key"; echo "0 passed, 1 failed"; exit 1; }

rm -f "$t/port"
"$sim" --listen 127.0.0.1:0 --tls "$t/server.pem" "$t/server.key" --db "$t/central.db" \
  --seed "$demo" --device "K0001:$t/secret:$t/qrkey:1" --port-file "$t/port" --quiet \
  --seed-rng 11 --record "$rec" --accounts assets/demo/accounts.json --cert-key "$t/cert.key" \
  2>>"$t/sim.log" &
simpid=$!
i=0
while [ ! -s "$t/port" ]; do
  i=$((i + 1))
  if ! kill -0 "$simpid" 2>/dev/null || [ $i -gt 300 ]; then
    echo "test_contract: the simulator did not start:"; cat "$t/sim.log"
    simpid=""; echo "0 passed, 1 failed"; exit 1
  fi
  sleep 0.05
done
url="https://127.0.0.1:$(cat "$t/port")"

# drive NAME FLAGS...: the kiosk driver on the one data directory until drained
drive() {
  name=$1; shift
  if "$drv" --data "$t/kiosk" --url "$url" --device K0001 --secret "$t/secret" --ca "$t/ca.pem" \
      --pin "$pin" --seed 5 --interval-ms 5 --backoff-min-ms 20 --backoff-max-ms 200 \
      --drain-timeout-s 60 "$@" >"$t/$name.out" 2>>"$t/driver.log" &&
      grep -q '^drained' "$t/$name.out"; then
    ok
  else
    bad "driver ($name) did not drain: $(tail -n 3 "$t/driver.log")"
  fi
}
faults() {
  [ "$("$py" tests/contract/send.py admin "$url" "$t/ca.pem" /admin/faults "$1")" = 200 ] && ok ||
    bad "POST /admin/faults $1"
}
# signed METHOD PATH BODY WANT [send.py flags]: the statuses printed, one per line, joined
signed() {
  m=$1 p=$2 b=$3 want=$4; shift 4
  got=$("$py" tests/contract/send.py signed "$url" "$t/ca.pem" "$t/secret" K0001 "$m" "$p" "$b" "$@" |
    tr '\n' ' ')
  [ "$got" = "$want " ] && ok || bad "$m $p: statuses '$got', want '$want'"
}

# 1. a clean run: coupons, rejected events, refresh, heartbeat, lookups
drive clean --coupons 8 --bad 2 --lookups 4
grep -q '^looked-up found=4 not-found=1' "$t/clean.out" && ok || bad "lookups: $(cat "$t/clean.out" | tail -n 1)"
# 2. the statuses a server or a proxy in front of it answers when failing
#    (one request that always gets it, so the recording has it whatever the random draws;
#    then the driver through a server failing half the time)
hb='{"queue_depth":0,"oldest_unsynced_s":0,"dead_letters":0,"printer":"ready","data_as_of":null,"version":"contract-test"}'
for st in 502 504 503 500 429; do
  faults "{\"reset\":true,\"error_rate\":1,\"error_status\":$st,\"retry_after\":0}"
  signed POST /v1/heartbeat "$hb" "$st"
  faults "{\"reset\":true,\"error_rate\":0.5,\"error_status\":$st,\"retry_after\":0}"
  drive "status-$st" --coupons 3
done
faults '{"reset":true}'
# 3. replays, a bad signature, a body that is not JSON
signed POST /v1/heartbeat "$hb" "200 409" --times 2
signed GET '/v1/debts?id_type=CC&id_number=1020304050' '' "200 409" --times 2
signed GET /v1/trm '' "200 409" --times 2
signed POST /v1/heartbeat "$hb" "401" --bad-signature
signed POST /v1/heartbeat 'not json' "400"
# an update held back (recaudo update-wait): stored; one the contract refuses: 400
signed POST /v1/heartbeat "${hb%\}},\"update\":{\"state\":\"waiting\",\"version\":\"1.4.0\",\"since\":1795359600,\"money_events\":2}}" "200"
signed POST /v1/heartbeat "${hb%\}},\"update\":{\"state\":\"done\",\"version\":\"1.4.0\",\"since\":1795359600,\"money_events\":2}}" "400"
signed POST /v1/heartbeat "${hb%\}},\"update\":{\"state\":\"waiting\",\"version\":\"1.4 0\",\"since\":1795359600,\"money_events\":-1}}" "400"
# 4. the field agents' login: accepted, refused
signed POST /v1/agents/login '{"agent":"1001","password":"campo2026"}' "200"
signed POST /v1/agents/login '{"agent":"1001","password":"wrong"}' "403"
# 5. the account services
if "$py" tests/contract/account.py "$url" "$t/ca.pem" "$t/secret" K0001 "$t/cert.pub" \
    >"$t/account.out" 2>&1; then
  ok
else
  bad "account services: $(grep -E 'FAIL|Error|passed' "$t/account.out" | head -n 12)"
fi
tail -n 1 "$t/account.out"

kill "$simpid"; wait "$simpid" && ok || bad "the simulator did not stop cleanly"
simpid=""

# a simulator without a signing key: certificates are 503 no_signing_key (same recording)
rm -f "$t/port"
"$sim" --listen 127.0.0.1:0 --tls "$t/server.pem" "$t/server.key" --db "$t/central.db" \
  --device "K0001:$t/secret:$t/qrkey:1" --port-file "$t/port" --quiet --record "$rec" \
  --accounts assets/demo/accounts.json 2>>"$t/sim.log" &
simpid=$!
i=0
while [ ! -s "$t/port" ] && kill -0 "$simpid" 2>/dev/null && [ $i -le 300 ]; do
  i=$((i + 1)); sleep 0.05
done
url="https://127.0.0.1:$(cat "$t/port" 2>/dev/null)"
got=$("$py" tests/contract/account.py --no-key "$url" "$t/ca.pem" "$t/secret" K0001 "$t/cert.pub" 2>&1)
[ "$got" = "503 no_signing_key" ] && ok || bad "certificate without a key: $got"
kill "$simpid"; wait "$simpid" && ok || bad "the simulator (no key) did not stop cleanly"
simpid=""

# every exchange against the contract, and the kinds this scenario must have made
"$py" tests/contract/validate.py --min 40 \
  --expect "GET /v1/debts 200" --expect "GET /v1/debts 404" --expect "GET /v1/debts 409" \
  --expect "GET /v1/portfolio/changes 200" --expect "GET /v1/trm 200" --expect "GET /v1/trm 409" \
  --expect "POST /v1/events 200" --expect "POST /v1/heartbeat 200" \
  --expect "POST /v1/heartbeat 409" --expect "POST /v1/heartbeat 401" \
  --expect "POST /v1/heartbeat 400" \
  --expect "POST /v1/agents/login 200" --expect "POST /v1/agents/login 403" \
  --expect "* * 502" --expect "* * 504" --expect "* * 503" --expect "* * 500" --expect "* * 429" \
  --expect "POST /v1/account/lookup 200" --expect "POST /v1/account/lookup 404" \
  --expect "POST /v1/otp/send 200" --expect "POST /v1/otp/send 409" \
  --expect "POST /v1/otp/send 429" --expect "POST /v1/otp/send 403" \
  --expect "POST /v1/otp/verify 200" --expect "POST /v1/otp/verify 403" \
  --expect "POST /v1/account/security 200" --expect "POST /v1/account/security 401" \
  --expect "POST /v1/account/products 200" --expect "POST /v1/account/products 401" \
  --expect "POST /v1/account/statement 200" --expect "POST /v1/account/statement 404" \
  --expect "POST /v1/account/certificate 200" --expect "POST /v1/account/certificate 503" \
  --expect "POST /v1/account/history 200" --expect "POST /v1/account/register 200" \
  --expect "POST /v1/account/register 409" --expect "POST /v1/account/register 404" \
  "$rec" >"$t/validate.out" 2>&1
rc=$?
cat "$t/validate.out"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$t/validate.out" | tail -n 1)
if [ $rc -eq 0 ] && [ -n "$line" ]; then ok; else bad "validate.py: $line (exit $rc)"; fi
# it must be able to fail
"$py" tests/contract/validate.py --self-check "$rec" >"$t/self-check.out" 2>&1
rc=$?
cat "$t/self-check.out"
[ $rc -eq 0 ] && ok || bad "validate.py --self-check (exit $rc)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
