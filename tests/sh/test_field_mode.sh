#!/bin/sh
# Field mode end to end (docs/field-mode.md), headless on the virtual clock:
#   - the login against the central simulator over HTTPS on 127.0.0.1 (a certificate made
#     here): online first; then, with the simulator stopped, offline with the hash the first
#     login cached, an agent never seen online refused, the idle logout;
#   - five wrong passwords lock the login, and a new process 5 minutes later is still locked;
#   - the agent's day on the demo data (tests/field/journey.script) at 1280x800, 800x480 and
#     1080x1920: the work list's buckets, search by ID and by name, the cuota filters, three
#     collections with change, a void with the supervisor, the close; then the store and the
#     export: receipt numbers 1..N without a gap, one event each, the CSV's amounts equal the
#     receipts', its signature verifies under the device key, no name or ID in the log;
#   - a collection on a serial printer (how a Bluetooth printer bound to /dev/rfcomm0 is
#     driven) against tools/fake-printer on a pty: the original and the COPIA, QR and CP858;
#   - bad input through the screens: a clear message, nothing written.
# Usage: test_field_mode.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START come from tests/run.sh)
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
# run NAME DATA SIZE START SCRIPT [ARGS...]: a headless field run; its output in $t/NAME.log
run() {
  n=$1 d=$2 size=$3 s=$4 script=$5
  shift 5
  "$bin" --mode field --headless --data "$d" --size "$size" --start "$s" --script "$script" \
    --shots "$t/shots-$n" "$@" >"$t/$n.log" 2>&1
}

simpid=""
cleanup() { [ -z "$simpid" ] || { kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null; }; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the login, online then offline ----
if [ -x "$sim" ] && sh tools/gen-cert.sh "$t/tls" >/dev/null; then
  (umask 077; head -c 32 /dev/urandom >"$t/tls/secret"; head -c 32 /dev/urandom >"$t/tls/qrkey")
  "$sim" --listen 127.0.0.1:0 --tls "$t/tls/server.pem" "$t/tls/server.key" --db "$t/tls/central.db" \
    --seed assets/demo/portfolio.json --device "T01:$t/tls/secret:$t/tls/qrkey:1" --port-file "$t/tls/port" \
    --quiet 2>>"$t/tls/sim.log" &
  simpid=$!
  i=0
  while [ ! -s "$t/tls/port" ] && kill -0 "$simpid" 2>/dev/null && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.05; done
  port=$(cat "$t/tls/port" 2>/dev/null)
  printf '[kiosk]\nid = 1\n\n[security]\nqr_key_file = %s\n\n[central]\nurl = https://127.0.0.1:%s\ndevice_id = T01\nsecret_file = %s\nca_file = %s\npinned_key = %s\n' \
    "$t/tls/qrkey" "$port" "$t/tls/secret" "$t/tls/ca.pem" "$(cat "$t/tls/pin.txt")" >"$t/online.ini"
  run online "$t/on" 1280x800 "$start" tests/field/login_online.script --config "$t/online.ini"
  check '[ $? -eq 0 ]' "online login: $(tail -3 "$t/online.log")"
  check '[ "$(q "$t/on" "select count(*) from agents where code = '\''1001'\'' and pass_hash like '\''\$argon2id\$%'\''")" = 1 ]' \
    "online login: no cached hash"
  check '[ "$(q "$t/on" "select count(*) from audit where action = '\''field.login'\'' and result = '\''ok'\''")" = 1 ]' \
    "online login: one ok audit row"
  kill "$simpid"; wait "$simpid" 2>/dev/null; simpid=""
  run offline "$t/on" 1280x800 "$((start + 3600))" tests/field/login_offline.script --config "$t/online.ini"
  check '[ $? -eq 0 ]' "offline login: $(tail -3 "$t/offline.log")"
  check '! grep -q "campo2026\|campo2025\|super2026" "$t/online.log" "$t/offline.log" "$t/tls/sim.log"' \
    "a password in a log"
  check '! grep -q "campo2026\|campo2025\|super2026" "$t/on/recaudo.db"' "a password in the store"
else
  bad "no simulator or no certificate: the online login is not tested"
fi

# ---- the lock, across processes ----
run lock "$t/l" 1280x800 "$start" tests/field/lock.script --demo
check '[ $? -eq 0 ]' "lock: $(tail -3 "$t/lock.log")"
run locked "$t/l" 1280x800 "$((start + 300))" tests/field/locked_again.script
check '[ $? -eq 0 ]' "still locked in a new process: $(tail -3 "$t/locked.log")"
check '[ "$(q "$t/l" "select group_concat(result) from audit where action = '\''field.login'\''")" = wrong,wrong,wrong,wrong,locked ]' \
  "lock: four wrong tries then the lock audited, nothing after it"

# ---- the agent's day, at three sizes ----
# hmac KEYFILE FILE: the HMAC-SHA256 of FILE under the 32-byte key, hex
hmac() { /usr/bin/python3 -c 'import hmac, hashlib, sys
print(hmac.new(open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read(), hashlib.sha256).hexdigest())' "$1" "$2"; }
# (RECAUDO_SIZES, set by `make asan`, may name fewer; 1280x800 is the one checked below)
for size in ${RECAUDO_SIZES:-1280x800 800x480 1080x1920}; do
  d="$t/day-$size"
  mkdir -p "$d/usb"
  printf '[printer]\nprofile = 58mm\n\n[field]\nexport_dir = %s\n' "$d/usb" >"$d.ini"
  run "day-$size" "$d/data" "$size" "$start" tests/field/journey.script --demo --config "$d.ini"
  check '[ $? -eq 0 ]' "the day at $size: $(tail -3 "$t/day-$size.log")"
done
d="$t/day-1280x800"
check '[ "$(q "$d/data" "select group_concat(number || state) from (select number, state from field_receipts order by number)")" = 1paid,2void,3paid ]' \
  "receipt numbers: $(q "$d/data" "select number, state from field_receipts")"
check '[ "$(q "$d/data" "select group_concat(type) from (select type from outbox where type like '\''payment.%'\'' or type like '\''collection.%'\'' order by seq)")" = payment.collected,payment.collected,payment.collected,payment.voided,collection.closed ]' \
  "events: $(q "$d/data" "select type from outbox")"
csv=$(ls "$d"/usb/recaudo-*-1001-20261122.csv 2>/dev/null | head -n 1)
check '[ -n "$csv" ] && [ -s "$csv.sig" ]' "no CSV or signature in $d/usb"
if [ -n "$csv" ]; then
  # the CSV's paid amounts add up to the receipts' (the close's cash to deposit), the voided one listed apart
  paid=$(/usr/bin/python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"))
h = rows[0]
print(sum(int(r[h.index("valor_minor")]) for r in rows[1:] if r[h.index("estado")] == "pagado"))' "$csv")
  check '[ "$paid" = "$(q "$d/data" "select sum(amount_minor) from field_receipts where state = '\''paid'\''")" ] && [ "$paid" = 38540000 ]' \
    "CSV total $paid"
  check 'head -c 3 "$csv" | od -An -tx1 | grep -q "ef bb bf"' "CSV without a BOM"
  check '[ "$(cat "$csv.sig")" = "hmac-sha256 $(hmac "$d/data/kiosk.key" "$csv")" ]' "the signature does not verify: $(cat "$csv.sig")"
  cp "$csv" "$t/tampered.csv" && sed -i 's/18540000/18540001/' "$t/tampered.csv"
  check '[ "$(cat "$csv.sig")" != "hmac-sha256 $(hmac "$d/data/kiosk.key" "$t/tampered.csv")" ]' "a changed CSV verifies"
fi
# the receipt's QR on paper: the receipt, amount and agent, signed
qr=$(zbarimg --raw -q "$d/data/receipts/field-1001-000001.png" 2>/dev/null | head -n 1)
check 'case "$qr" in "RCB1|D=K0001|A=1001|N=1|V=18540000|C=COP|T="*"|H="*) true;; *) false;; esac' "receipt QR: $qr"
check '! grep -q "1020304050\|71345678\|1037654321\|María\|Óscar\|Sofía\|campo2026\|super2026" "$t"/day-*.log' \
  "a name, an ID or a password in the log"

# ---- the receipt on a serial printer (Bluetooth: /dev/rfcomm0), the fake printer on a pty ----
fake=$build/fake-printer
if [ -x "$fake" ]; then
  "$fake" --link "$t/rfcomm0" --record "$t/printed.bin" >/dev/null 2>"$t/fake.log" &
  fakepid=$!
  i=0
  while [ ! -e "$t/rfcomm0" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
  printf '[printer]\nbackend = serial\ntarget = %s:19200:none\nprofile = 58mm\n' "$t/rfcomm0" >"$t/serial.ini"
  run serial "$t/ser" 1280x800 "$start" tests/field/serial_receipt.script --demo --config "$t/serial.ini"
  check '[ $? -eq 0 ]' "serial printer: $(tail -3 "$t/serial.log")"
  kill "$fakepid" 2>/dev/null; wait "$fakepid" 2>/dev/null
  # the original and its COPIA went down the wire, each with its signed QR (GS ( k), accents in CP858
  check '[ "$(grep -a -o "RCB1|D=K0001|A=1001|N=1|" "$t/printed.bin" | wc -l)" = 2 ]' "the QR twice on the serial printer"
  check 'grep -a -q "COPIA" "$t/printed.bin" && LC_ALL=C grep -a -q "$(printf "Cr\202dito")" "$t/printed.bin"' \
    "the copy or an accent in CP858 missing on the serial printer"
  check '[ "$(q "$t/ser" "select group_concat(kind || '\'':'\'' || state) from print_jobs")" = "receipt:printed,copy:printed" ]' \
    "serial print jobs: $(q "$t/ser" "select kind, ref, state, error from print_jobs")"
else
  bad "no fake printer: the serial receipt is not tested"
fi

# ---- bad input: a clear message, nothing written ----
printf '[field]\nexport_dir = %s\n' "$t/no-such-stick" >"$t/bad.ini"
run bad "$t/bad" 1280x800 "$start" tests/field/bad_input.script --demo --config "$t/bad.ini"
check '[ $? -eq 0 ]' "bad input: $(tail -3 "$t/bad.log")"
# one receipt (the exact one), never voided; the close written, no file left where the stick was
check '[ "$(q "$t/bad" "select count(*) || state from field_receipts group by state")" = 1paid ]' \
  "bad input: $(q "$t/bad" "select number, state from field_receipts")"
check '[ "$(q "$t/bad" "select count(*) from outbox where type = '\''payment.voided'\''")" = 0 ] && [ ! -e "$t/no-such-stick" ]' \
  "bad input wrote a void or a folder"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
