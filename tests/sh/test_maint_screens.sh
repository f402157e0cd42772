#!/bin/sh
# The maintenance screens "Datos" and "Impresora" driven headless (docs/maintenance.md), at
# 1080x1920 and 1280x800, against what they leave behind:
# - Datos: a portfolio file on removable storage (a temp folder as [maintenance] removable_dir)
#   is listed and imported on the maintenance worker (the store's as-of time moves, the counts
#   are shown); a bad file is refused with the importer's message and changes nothing; a
#   missing folder and a file where the folder should be are said so and change nothing; the
#   full integrity check passes. Audited data.import ok|failed and data.integrity ok.
# - the USB stick helper (docs/usb-media.md), a fake one on a socket in TMPDIR: Datos asks it to
#   mount before listing and names the stick; "Expulsar" ejects it (audited data.eject ok) and
#   the files leave the screen; with no stick plugged in, Datos and the queue's export say so
#   and write nothing; leaving maintenance mode (the kiosk's exit here) asks for an eject.
# - Impresora: the test page printed from the screen reads back with zbarimg (the test QR
#   natively and as a raster, the GS1-128 sample); feed and cut are recorded as kind "test";
#   audited printer.test_page|feed|cut ok. The audit chain verifies afterwards.
# Usage: test_maint_screens.sh TMPDIR   (RECAUDO_BIN and RECAUDO_START come from tests/run.sh)
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

# the stick: the demo portfolio as of a later day, and a file the importer refuses
mkdir -p "$t/usb"
/usr/bin/python3 - "$t/usb" <<'EOF'
import json, sys
p = json.load(open("assets/demo/portfolio.json"))
p["as_of"] = "2026-11-22T08:00:00-05:00"
json.dump(p, open(sys.argv[1] + "/cartera-2026-11-22.json", "w"))
bad = {"format": "recaudo-portfolio/1", "as_of": 1795400000,
       "customers": [{"id_type": "XX", "id_number": "99887766", "name": "A", "documents": []}]}
json.dump(bad, open(sys.argv[1] + "/mala.json", "w"))
EOF
# a stick whose file name carries an ID number: shown masked, never whole
mkdir -p "$t/usb-id"
cp "$t/usb/mala.json" "$t/usb-id/cartera_1020304050.json"
cat >"$t/idname.script" <<'EOF'
hold 60 60 3000
type 246810
key Enter
press "Datos"
expect "1 archivos de cartera"
expect "cartera_••••4050.json"
expect-not "1020304050"
press "4050.json"
press "Importar"
expect "No se importó nada"
expect-not "1020304050"
EOF
printf 'no portfolio\n' >"$t/usb/notes.txt"

cat >"$t/import.script" <<'EOF'
hold 60 60 3000
type 246810
key Enter
press "Datos"
expect-screen maint-data
expect "2 archivos de cartera"
expect "21/11/2026 18:00"
press "mala.json"
expect "Elegido: mala.json"
press "Importar"
expect "No se importó nada: mala.json: customers[0].id_type: must be one of"
expect-not "99887766"
expect "21/11/2026 18:00"
expect-no-overlap
shot import-bad
press "cartera-2026-11-22.json"
press "Importar"
expect "Importado cartera-2026-11-22.json: 37 clientes, 159 documentos"
expect "22/11/2026 08:00 (hace 2 h)"
expect-no-overlap
shot import-ok
press "Verificación completa"
expect "Verificación completa: sin errores"
press "Menú"
press "Impresora"
expect-screen maint-printer
press "Página de prueba"
expect "Página de prueba impresa."
press "Avanzar papel"
expect "Papel avanzado."
press "Cortar"
expect "Papel cortado."
shot printer
EOF
cat >"$t/missing.script" <<'EOF'
hold 60 60 3000
type 246810
key Enter
press "Datos"
expect "no se encuentra"
expect-not "Importado"
expect-no-overlap
shot missing
EOF
cat >"$t/notdir.script" <<'EOF'
hold 60 60 3000
type 246810
key Enter
press "Datos"
expect "no es una carpeta"
EOF

# the fake USB stick helper: one line in, one line out, each request logged; "stick" or "none"
# in helper.mode says whether a stick is plugged in
/usr/bin/python3 - "$t/helper.sock" "$t/helper.mode" "$t/helper.log" <<'EOF' &
import socket, sys
path, mode_file, log = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(8)
while True:
    c, _ = s.accept()
    line = c.makefile("rb").readline().decode().strip()
    with open(log, "a") as f:
        f.write(line + "\n")
    stick = open(mode_file).read().strip() == "stick"
    ans = {"mount": "ok mounted vfat TECNICO" if stick else "error no-device",
           "eject": "ok ejected" if stick else "ok none",
           "status": "ok mounted vfat TECNICO" if stick else "ok none"}.get(line, "error request")
    try:
        c.sendall((ans + "\n").encode())
    except OSError:
        pass
    c.close()
EOF
helper=$!
trap 'kill $helper 2>/dev/null' EXIT
# the requests the helper logged, once they are WANT or after 3 s (the eject sent as the kiosk
# leaves is not waited for: the fake may log it just after the kiosk has exited)
helper_log() {
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
    [ "$(tr "\n" " " <"$t/helper.log")" = "$1" ] && break
    sleep 0.1
  done
  tr "\n" " " <"$t/helper.log"
}
cat >"$t/usbhelper.script" <<'EOF'
hold 60 60 3000
type 246810
key Enter
press "Datos"
expect "Memoria USB «TECNICO» (vfat)"
expect "2 archivos de cartera"
expect-no-overlap
shot usb-mounted
press "Expulsar"
expect "Memoria USB expulsada: ya puede retirarla."
expect "expulsada. Para usar otra"
expect-not "mala.json"
expect-no-overlap
shot usb-ejected
EOF
cat >"$t/nostick.script" <<'EOF'
hold 60 60 3000
type 246810
key Enter
press "Datos"
expect "No hay una memoria USB conectada. Conéctela y toque «Actualizar»."
expect-not "mala.json"
expect-no-overlap
shot usb-none
press "Menú"
press "Cola de envío"
press "Exportar"
expect "No hay una memoria USB conectada. No se escribió nada."
EOF

for size in 1080x1920 1280x800; do
  d="$t/$size"
  printf '[maintenance]\nremovable_dir = %s\n' "$t/usb" >"$t/usb.ini"
  TZ=America/Bogota "$bin" --headless --demo --config "$t/usb.ini" --data "$d" --size "$size" --start "$start" \
    --script "$t/import.script" --shots "$t/shots-$size" >"$t/out" 2>&1
  check '[ $? -eq 0 ]' "$size import script: $(tail -3 "$t/out")"
  check '[ "$(q "$d" "select value from meta where key = '"'"'data_as_of'"'"'")" = 1795352400 ]' \
    "$size: the store's as-of time after the import: $(q "$d" "select key, value from meta where key like '%as_of%'")"
  check '[ "$(q "$d" "select action, result, detail from audit where action like '"'"'data.%'"'"' order by id" | sed "s/ms=[0-9]*/ms=N/")" = "data.import|failed|reason=invalid
data.import|ok|customers=37 docs=159 trm=$(q "$d" "select count(*) from trm")
data.integrity|ok|ms=N" ]' "$size: the data audit rows: $(q "$d" "select action, result, detail from audit")"
  check '[ "$(q "$d" "select action, result, detail from audit where action like '"'"'printer.%'"'"' order by id")" = "printer.test_page|ok|backend=virtual state=ready
printer.feed|ok|backend=virtual state=ready
printer.cut|ok|backend=virtual state=ready" ]' "$size: the printer audit rows: $(q "$d" "select action, result, detail from audit")"
  check '[ "$(q "$d" "select count(*) from audit a join outbox o on o.type = '"'"'maintenance.action'"'"' and json_extract(o.payload, '"'"'$.action'"'"') = a.action where a.action like '"'"'data.%'"'"' or a.action like '"'"'printer.%'"'"'")" -ge 6 ]' \
    "$size: maintenance.action events for the rows"
  check '[ "$(q "$d" "select kind, substr(ref, 1, 5), state from print_jobs where kind = '"'"'test'"'"' order by id" | tr "\n" " ")" = "test|20261|printed test|feed-|printed test|cut-2|printed " ]' \
    "$size: the print jobs: $(q "$d" "select kind, ref, state from print_jobs")"
  png=$(ls "$d"/receipts/test-*.png 2>/dev/null | head -1)
  check '[ -n "$png" ]' "$size: no test page on the virtual printer"
  zbarimg -q "$png" >"$t/codes" 2>/dev/null
  check '[ "$(grep -c "^QR-Code:RECAUDO TEST 0001 20261122$" "$t/codes")" -eq 2 ]' "$size: the two test QRs: $(cat "$t/codes")"
  check 'grep -q "^CODE-128:415[0-9]\{13\}8020" "$t/codes"' "$size: the GS1-128 sample: $(cat "$t/codes")"
  "$bin" audit verify --data "$d" >"$t/out" 2>&1
  check '[ $? -eq 0 ] && grep -q "^audit chain ok" "$t/out"' "$size: audit verify: $(cat "$t/out")"

  # no stick: said so, nothing changes
  sum=$(q "$d" "select count(*), (select value from meta where key = 'data_as_of') from documents")
  printf '[maintenance]\nremovable_dir = %s\n' "$t/nothing-here" >"$t/missing.ini"
  "$bin" --headless --config "$t/missing.ini" --data "$d" --size "$size" --start "$start" \
    --script "$t/missing.script" --shots "$t/shots-$size" >"$t/out" 2>&1
  check '[ $? -eq 0 ]' "$size missing folder: $(tail -3 "$t/out")"
  check '[ "$(q "$d" "select count(*), (select value from meta where key = '"'"'data_as_of'"'"') from documents")" = "$sum" ] && [ ! -e "$t/nothing-here" ]' \
    "$size missing folder: something changed"
  printf '[maintenance]\nremovable_dir = %s\n' "$t/usb/notes.txt" >"$t/notdir.ini"
  "$bin" --headless --config "$t/notdir.ini" --data "$d" --size "$size" --start "$start" \
    --script "$t/notdir.script" --shots "$t/shots-$size" >"$t/out" 2>&1
  check '[ $? -eq 0 ]' "$size a file for a folder: $(tail -3 "$t/out")"
  printf '[maintenance]\nremovable_dir = %s\n' "$t/usb-id" >"$t/idname.ini"
  "$bin" --headless --demo --config "$t/idname.ini" --data "$d" --size "$size" --start "$start" \
    --script "$t/idname.script" --shots "$t/shots-$size" >"$t/out" 2>&1
  check '[ $? -eq 0 ]' "$size a file name with an ID number: $(tail -3 "$t/out")"

  # the stick through the helper
  for i in 1 2 3 4 5 6 7 8 9 10; do [ -S "$t/helper.sock" ] && break; sleep 0.2; done
  printf '[maintenance]\nremovable_dir = %s\nusb_helper = %s\n' "$t/usb" "$t/helper.sock" >"$t/helper.ini"
  echo stick >"$t/helper.mode"
  : >"$t/helper.log"
  "$bin" --headless --config "$t/helper.ini" --data "$d" --size "$size" --start "$start" \
    --script "$t/usbhelper.script" --shots "$t/shots-$size" >"$t/out" 2>&1
  check '[ $? -eq 0 ]' "$size the stick mounted and ejected: $(tail -3 "$t/out")"
  got=$(helper_log "mount eject eject ")
  check '[ "$got" = "mount eject eject " ]' "$size the helper was asked: $got (want mount, eject, and eject on leaving)"
  check '[ "$(q "$d" "select result, detail from audit where action = '"'"'data.eject'"'"'")" = "ok|" ]' \
    "$size the eject's audit row: $(q "$d" "select action, result, detail from audit where action = 'data.eject'")"
  echo none >"$t/helper.mode"
  : >"$t/helper.log"
  ls "$t/usb" >"$t/usb.before"
  "$bin" --headless --config "$t/helper.ini" --data "$d" --size "$size" --start "$start" \
    --script "$t/nostick.script" --shots "$t/shots-$size" >"$t/out" 2>&1
  check '[ $? -eq 0 ]' "$size no stick plugged in: $(tail -3 "$t/out")"
  got=$(helper_log "mount mount eject ")
  check '[ "$got" = "mount mount eject " ] && ls "$t/usb" | cmp -s - "$t/usb.before"' \
    "$size no stick: the helper was asked $got; the folder: $(ls "$t/usb")"
done

# "Reimprimir último" after a customer's coupon: its receipt again, from the stored COPIA
cat >"$t/reprint.script" <<'EOF'
press "Toque para comenzar"
type 1020304050
key Enter
expect-screen portfolio
press "VID-4471203-1126"
press "Generar cupón"
expect-screen coupon
expect "Retire su recibo de la impresora."
press "Terminar"
wait 8000
expect-screen attract
hold 60 60 3000
type 246810
key Enter
press "Impresora"
press "Reimprimir último"
# the lookup runs on the maintenance worker, then the print on the print worker: the harness
# settles the worker's job before the print queue's, so give it a beat
wait 500
expect "Recibo 1 reimpreso como COPIA."
shot reprint
EOF
d="$t/reprint"
"$bin" --headless --demo --data "$d" --size 1080x1920 --start "$start" --script "$t/reprint.script" \
  --shots "$t/shots-reprint" >"$t/out" 2>&1
check '[ $? -eq 0 ]' "reprint script: $(tail -3 "$t/out")"
check '[ "$(q "$d" "select kind, coupon_seq, state from print_jobs order by id" | tr "\n" " ")" = "receipt|1|printed copy|1|printed " ]' \
  "reprint: the print jobs: $(q "$d" "select kind, ref, coupon_seq, state from print_jobs")"
check '[ "$(q "$d" "select result, detail from audit where action = '"'"'printer.reprint'"'"'")" = "ok|backend=virtual state=ready" ]' \
  "reprint: the audit row: $(q "$d" "select action, result, detail from audit")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
