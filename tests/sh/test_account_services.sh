#!/bin/sh
# The account services' statement, certificate and history screens (docs/account-services.md)
# end to end against the central simulator over HTTPS on 127.0.0.1, headless on the virtual
# clock, at 1280x800 and 1080x1920 (and the screens drawn at 800x480):
#   - a coupon first (session 1), so the simulator has the kiosk's coupon.issued;
#   - session 2: "Mis servicios", the security phrase, the one-time code (read from the
#     simulator's GET /admin/otp while the kiosk waits on its script, a FIFO), the menu;
#   - services-statement: a product and a month, the statement on screen, printed on the
#     virtual printer (its text checked on the paper's bytes) and sent by e-mail (the mask);
#   - services-certificate: a paz y salvo printed, its QR read with zbarimg from the virtual
#     printer's PNG and its Ed25519 signature verified with openssl under the public key the
#     kiosk has ([services] certificate_key); then, under the simulator's cert_bad_signature
#     fault, a certificate refused with nothing printed and the audit row "bad_signature";
#   - services-history: the kiosk's coupon marked "Pagado en este kiosco" and reprinted as
#     COPIA through the print queue; paging;
#   - every services screen: expect-no-overlap and expect-accessible; no ID, phone or e-mail
#     in the kiosk's log.
# Usage: test_account_services.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START come from tests/run.sh)
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
# the run's failure: its last line that is not a passed check or a routine log line
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
trap '' PIPE # a kiosk that stopped on a failed line: the writes fail, the test goes on

for tool in openssl curl zbarimg; do
  command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 0; }
done
if [ ! -x "$sim" ] || ! sh tools/gen-cert.sh "$t/tls" >/dev/null; then
  echo "FAIL: no simulator or no certificate"
  exit 1
fi
(umask 077; head -c 32 /dev/urandom >"$t/tls/secret"; head -c 32 /dev/urandom >"$t/tls/qrkey")
# the issuer's key pair: the simulator signs with the private half, the kiosk verifies with the public
openssl genpkey -algorithm ed25519 -out "$t/cert.key" 2>/dev/null
openssl pkey -in "$t/cert.key" -pubout -out "$t/pub.pem" 2>/dev/null
check '[ -s "$t/pub.pem" ]' "no Ed25519 key pair"
"$sim" --listen 127.0.0.1:0 --tls "$t/tls/server.pem" "$t/tls/server.key" --db "$t/tls/central.db" \
  --seed assets/demo/portfolio.json --accounts assets/demo/accounts.json --cert-key "$t/cert.key" \
  --device "K0001:$t/tls/secret:$t/tls/qrkey:1" \
  --device "K0002:$t/tls/secret:$t/tls/qrkey:2" --device "K0003:$t/tls/secret:$t/tls/qrkey:3" --port-file "$t/tls/port" --quiet 2>>"$t/sim.log" &
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

# ---- the kiosk on a script fed line by line (a FIFO): the test answers what only the
# simulator knows (the one-time code) and waits for what only it sees (the coupon event) ----
# kiosk NAME SIZE: starts it; feed LINES...; kiosk_end: closes the script and waits for the exit code
kiosk() {
  n=$1 size=$2 kid=$3 key=${4-$t/pub.pem}
  d=$t/data-$n
  mkdir -p "$d" "$t/paper-$n"
  printf '[kiosk]\nid = %s\n\n[security]\nqr_key_file = %s\n\n[printer]\nbackend = virtual\ntarget = %s\n\n[central]\nurl = https://127.0.0.1:%s\ndevice_id = K000%s\nsecret_file = %s\nca_file = %s\npinned_key = %s\n\n[services]\ncertificate_key = %s\n' \
    "$kid" "$t/tls/qrkey" "$t/paper-$n" "$port" "$kid" "$t/tls/secret" "$t/tls/ca.pem" "$(cat "$t/tls/pin.txt")" "$key" \
    >"$t/$n.ini"
  rm -f "$t/fifo"
  mkfifo "$t/fifo"
  "$bin" --headless --config "$t/$n.ini" --data "$d" --size "$size" --start "$start" --script "$t/fifo" \
    --shots "$t/shots-$n" >"$t/$n.log" 2>&1 &
  kpid=$!
  exec 3>"$t/fifo"
}
feed() { for l in "$@"; do printf '%s\n' "$l" >&3; done; }
feed_file() { cat "$1" >&3; }
kiosk_end() {
  exec 3>&-
  wait "$kpid"
  krc=$?
  kpid=""
  return $krc
}
# the lines fed so far have run: the script asks for a shot and the test sees it
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
# the code the simulator sent after `before` (the last answer of GET /admin/otp seen)
new_code() {
  i=0
  while [ $i -lt 200 ]; do
    now=$(admin_get /admin/otp)
    [ "$now" != "$1" ] && [ -n "$(printf '%s' "$now" | json code)" ] && { printf '%s' "$now" | json code; return 0; }
    i=$((i + 1)); sleep 0.05
  done
  return 1
}

here=tests/account
run_size() {
  n=$1 size=$2 full=$3
  kiosk "$n" "$size" "$4" ${5+"$5"}
  if [ "$full" = 1 ]; then
    # session 1: a coupon, its receipt printed; the event reaches the simulator
    feed_file "$here/coupon.script"
    synced || bad "$n: the coupon session did not run: $(why "$n")"
    i=0
    while [ $i -lt 300 ] && [ "$(admin_get /admin/stats | json accepted)" = "$accepted0" ]; do i=$((i + 1)); sleep 0.1; done
    check '[ "$(admin_get /admin/stats | json accepted)" != "$accepted0" ]' "$n: the coupon event never reached the simulator"
    accepted0=$(admin_get /admin/stats | json accepted)
  fi
  # session 2: Mis servicios, the code
  before=$(admin_get /admin/otp)
  feed_file "$here/open_services.script"
  code=$(new_code "$before") || { bad "$n: no code sent: $(why "$n")"; kiosk_end; return; }
  # the code typed a digit at a time (a physical keypad; the code screen takes one key at a time)
  for dgt in $(printf '%s' "$code" | sed 's/./& /g'); do feed "type $dgt"; done
  feed "press \"Verificar\"" "expect-screen services-menu"
  if [ "$full" = 1 ]; then
    feed_file "$here/statement.script"
  else # a small screen: drawn sanely (no overlap), not held to the accessibility minima
    grep -v expect-accessible "$here/statement.script" >&3
  fi
  if [ "$full" = 1 ]; then
    feed_file "$here/certificate.script"
    # the same request under the bad-signature fault: refused, nothing printed
    synced || bad "$n: the certificate did not run: $(why "$n")"
    admin_post /admin/faults '{"cert_bad_signature":1}' >/dev/null
    feed_file "$here/certificate_bad.script"
    synced || bad "$n: the refused certificate did not run: $(why "$n")"
    admin_post /admin/faults '{"cert_bad_signature":0}' >/dev/null
    feed_file "$here/history.script"
  else # in English: the months and the words; then no [services] certificate_key here: the
    # service says so, nothing is asked
    feed "press \"English\"" "press \"Statement\"" "expect-screen services-statement" "expect \"Nov 2026\"" \
      "expect \"Show the statement\"" "expect-no-overlap" "shot statement-en" "press \"Back\"" \
      "expect-screen services-menu" "press \"Español\""
    feed "press \"Certificado de deuda o paz y salvo\"" "expect-screen services-certificate" \
      "expect \"Los certificados no están disponibles en este kiosco\"" "expect-no-overlap" "shot certificate-none" \
      "press \"Atrás\"" "expect-screen services-menu"
  fi
  feed "press \"Salir\"" "press \"Sí, salir\"" "expect-screen attract"
  kiosk_end
  check '[ $? -eq 0 ]' "$n: $(why "$n")"
}

# ---- what the runs left: paper, store, logs ----
# check_paper N: the statement, the certificate and the COPIA on run N's virtual printer
check_paper() {
  n=$1 p=$t/paper-$1 d=$t/data-$1
  st=$p/account-statement.bin
  check '[ -s "$st" ] && [ -s "${st%.bin}.png" ]' "$n: no statement on the virtual printer"
  for w in EXTRACTO CR-100245 "octubre de 2026" "Saldo inicial" "Saldo final" "Pago cuota" "Intereses corrientes" \
    '$ 21.455.000' '$ 20.470.000' 'CC \*\*\*\*4050'; do
    check 'grep -a -q "$w" "$st"' "$n: the statement's paper lacks \"$w\""
  done
  check '! grep -a -q "1020304050" "$st"' "$n: the whole ID on the statement's paper"
  # the certificate: its QR decodes to payload|S=signature and the signature verifies
  qr=$(zbarimg --raw -q "$p/account-certificate.png" 2>/dev/null)
  payload=${qr%%|S=*} sig=${qr##*|S=}
  check 'case "$payload" in "RCC1|K=P|I="*"|P=CR-100311|C=COP|B=0|"*"|T=CC|N=4050") true;; *) false;; esac' \
    "$n: the certificate's QR: \"$payload\""
  printf '%s' "$payload" >"$t/$n.payload"
  printf '%s' "$sig" | base64 -d >"$t/$n.sig" 2>/dev/null
  check 'openssl pkeyutl -verify -pubin -inkey "$t/pub.pem" -rawin -in "$t/$n.payload" -sigfile "$t/$n.sig" >/dev/null 2>&1' \
    "$n: the certificate's signature does not verify under the issuer's public key"
  check '[ "$(q "$d" "select count(*) from print_jobs where kind = '\''document'\'' and ref like '\''ct-%'\'' and state = '\''printed'\''")" = 1 ]' \
    "$n: not exactly one certificate printed (the refused one printed?)"
  # the papers printed, their bytes are not kept (the job rows say what and when)
  check '[ "$(q "$d" "select count(*) from print_job_bytes b join print_jobs j on j.id = b.job_id where j.name like '\''account-%'\''")" = 0 ]' \
    "$n: a statement's or certificate's bytes kept in the store"
  check '[ "$(q "$d" "select count(*) from print_jobs where name like '\''account-%'\''")" -ge 2 ]' "$n: no account paper recorded"
  check '[ "$(q "$d" "select count(*) from audit where action = '\''account.certificate'\'' and result = '\''bad_signature'\''")" = 1 ]' \
    "$n: no bad_signature audit row"
  check '[ "$(q "$d" "select count(*) from audit where action = '\''account.certificate'\'' and result = '\''printed'\'' and detail = '\''kind=P'\''")" = 1 ]' \
    "$n: no printed certificate audit row"
  # the statement's audit rows: the month only
  check '[ "$(q "$d" "select group_concat(result || '\'' '\'' || detail, '\'';'\'') from audit where action = '\''account.statement'\''")" = "shown month=2026-10;printed month=2026-10" ]' \
    "$n: account.statement rows: $(q "$d" "select group_concat(result || ' ' || detail, ';') from audit where action = 'account.statement'")"
  check '[ "$(q "$d" "select count(*) from audit where action = '\''account.statement_email'\'' and result = '\''ok'\''")" = 1 ]' \
    "$n: no account.statement_email row"
  # the kiosk's coupon reprinted from the history, as COPIA
  check '[ -s "$p/receipt-000001-copia.bin" ] && grep -a -q COPIA "$p/receipt-000001-copia.bin"' "$n: no COPIA printed"
  check '[ "$(q "$d" "select count(*) from print_jobs where kind = '\''copy'\'' and ref = '\''1'\'' and state = '\''printed'\''")" = 1 ]' \
    "$n: the copy is not one printed job"
  check '[ "$(q "$d" "select count(*) from audit where action = '\''account.reprint'\'' and detail = '\''seq=1'\''")" = 1 ]' \
    "$n: no account.reprint row"
}
# check_private N: no ID, phone, e-mail or phrase in the kiosk's log, nor in the account audit
# rows (the portfolio cache and the coupon keep the ID by design; the audit must not)
check_private() {
  n=$1
  check '! grep -q "1020304050\|3001234567\|maria.nunez\|Lucas" "$t/$n.log"' "$n: personal data in the kiosk's log"
  check '[ -z "$(q "$t/data-$n" "select detail from audit where action like '\''account.%'\''" | grep "1020304050\|3001234567\|maria\|4050\|CR-")" ]' \
    "$n: personal data in the account audit rows"
}

accepted0=$(admin_get /admin/stats | json accepted)
run_size land 1280x800 1 1
check_paper land
check_private land
run_size port 1080x1920 1 2
check_paper port
check_private port
run_size small 800x480 0 3 ""
check_private small
check '[ "$(q "$t/data-small" "select count(*) from audit where action = '\''account.certificate'\''")" = 0 ]' \
  "small: a certificate was asked for without a key"

# ---- [services] certificate_key names a file that is not there: the kiosk does not start ----
sed "s|^certificate_key = .*|certificate_key = $t/missing.pem|" "$t/land.ini" >"$t/missing.ini"
"$bin" --headless --config "$t/missing.ini" --data "$t/data-missing" --size 1280x800 --start "$start" \
  --script /dev/null --shots "$t/shots-missing" >"$t/missing.log" 2>&1
check '[ $? -ne 0 ] && grep -q "\[services\] certificate_key" "$t/missing.log"' \
  "a missing certificate key was not refused at start: $(tail -2 "$t/missing.log")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
