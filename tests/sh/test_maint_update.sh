#!/bin/sh
# Maintenance mode's "Software" screen (docs/maintenance.md "Software", docs/update-helper.md)
# driven headless at 1080x1920 and 1280x800 against a fake USB stick helper and a fake update
# helper on sockets in TMPDIR (each logs the requests it got):
# - the listing: the installed version and slot, the stick named, each bundle with its
#   version and whether it is newer, the same, older, or refused by RAUC;
# - a newer bundle: the first tap on "Instalar" only says what the second does; the second
#   asks the helper "install NAME 600", the phases are shown, and the end says the kiosk
#   restarts; audited update.install started, then ok, version=V;
# - an older bundle: the first tap warns it is not newer, the second installs it forced
#   ("install NAME 600 force"; audited "version=V forced"); the same, with its own warning,
#   when the helper cannot read the installed version ("unknown");
# - the money wait ending without acknowledgements: "No se instaló…", audited money_waiting;
# - a first tap left alone past 15 s: the second tap is a first tap again, nothing installed;
#   a second tap at once (a bounce, a double tap) is ignored;
# - a bundle RAUC refuses cannot be installed (the button does nothing, the reason is said);
# - no update helper configured: the screen says how this machine is updated, nothing asked.
# The menu holds the ninth button and nothing overlaps.
# Usage: test_maint_update.sh TMPDIR   (RECAUDO_BIN and RECAUDO_START come from tests/run.sh)
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

# the fakes: the USB stick helper mounts a stick called TECNICO; the update helper lists three
# bundles and answers an install as update.mode says ("ok", "money" or "refused")
/usr/bin/python3 - "$t" <<'EOF' &
import os, socket, sys, threading, time
t = sys.argv[1]
def serve(path, answer):
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen(8)
    while True:
        c, _ = s.accept()
        line = c.makefile("rb").readline().decode().strip()
        with open(path + ".log", "a") as f:
            f.write(line + "\n")
        try:
            for out in answer(line):
                c.sendall((out + "\n").encode())
                time.sleep(0.05)
        except OSError:
            pass
        c.close()
def media(line):
    return [{"mount": "ok mounted vfat TECNICO", "eject": "ok ejected"}.get(line, "error request")]
versions = {"recaudo-2.0.0.raucb": "2.0.0", "recaudo-0.9.0.raucb": "0.9.0"}
def update(line):
    w = line.split()
    mode = open(t + "/update.mode").read().strip()
    if w == ["list"] and mode == "unknown":
        return ["bundle recaudo-2.0.0.raucb 2.0.0 unknown", "ok running -"]
    if w == ["list"]:
        return ["bundle recaudo-0.9.0.raucb 0.9.0 older", "bundle recaudo-2.0.0.raucb 2.0.0 newer",
                "bad roto.raucb", "ok running 1.0.0"]
    if len(w) >= 3 and w[0] == "install" and w[1] in versions:
        v = versions[w[1]]
        if mode == "money":
            return ["state version " + v, "state waiting", "error money"]
        if mode == "refused":
            return ["error refused"]
        return ["state version " + v, "state installing", "ok rebooting " + v]
    return ["error request"]
threading.Thread(target=serve, args=(t + "/media.sock", media), daemon=True).start()
serve(t + "/update.sock", update)
EOF
fakes=$!
trap 'kill $fakes 2>/dev/null' EXIT
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -S "$t/update.sock" ] && break; sleep 0.2; done
mkdir -p "$t/usb"
printf '[maintenance]\nremovable_dir = %s\nusb_helper = %s\nupdate_helper = %s\n' "$t/usb" "$t/media.sock" \
  "$t/update.sock" >"$t/helpers.ini"
printf '[maintenance]\nremovable_dir = %s\nusb_helper =\nupdate_helper =\n' "$t/usb" >"$t/none.ini"

cat >"$t/enter.part" <<'EOF'
hold 60 60 3000
type 246810
key Enter
expect-no-overlap
shot menu
press "Software"
EOF
cat "$t/enter.part" - >"$t/newer.script" <<'EOF'
expect "Versión instalada"
expect-not "ranura"
expect "Memoria USB «TECNICO» (vfat)"
expect "3 paquetes de actualización (.raucb)"
expect "recaudo-2.0.0.raucb · 2.0.0 · más nueva"
expect "recaudo-0.9.0.raucb · 0.9.0 · anterior a la instalada"
expect "roto.raucb · no válido para este quiosco"
expect-no-overlap
shot software
press "recaudo-2.0.0.raucb · 2.0.0 · más nueva"
press "Instalar"
expect "Toque «Instalar» otra vez para instalar 2.0.0."
expect-no-overlap
shot confirm
# at once again: a bounce, not a decision
press "Instalar"
expect "Toque «Instalar» otra vez para instalar 2.0.0."
wait 1000
press "Instalar"
expect "2.0.0 instalada. El quiosco se reinicia ahora con la nueva versión."
expect-no-overlap
shot installed
EOF
cat "$t/enter.part" - >"$t/older.script" <<'EOF'
press "recaudo-0.9.0.raucb · 0.9.0 · anterior a la instalada"
press "Instalar"
expect "0.9.0 no es más nueva que la instalada (1.0.0)."
expect-no-overlap
shot confirm-force
wait 1000
press "Instalar"
expect "0.9.0 instalada."
EOF
cat "$t/enter.part" - >"$t/money.script" <<'EOF'
press "recaudo-2.0.0.raucb · 2.0.0 · más nueva"
press "Instalar"
wait 1000
press "Instalar"
expect "No se instaló: después de 10 min aún hay pagos sin confirmar por el servidor."
expect-no-overlap
shot money
EOF
cat "$t/enter.part" - >"$t/lapse.script" <<'EOF'
press "recaudo-2.0.0.raucb · 2.0.0 · más nueva"
press "Instalar"
expect "Toque «Instalar» otra vez"
wait 16000
expect "Elija un paquete y toque «Instalar»."
press "Instalar"
expect "Toque «Instalar» otra vez"
press "roto.raucb · no válido para este quiosco"
expect "roto.raucb no se puede instalar"
press "Instalar"
expect "roto.raucb no se puede instalar"
EOF
cat "$t/enter.part" - >"$t/unknown.script" <<'EOF'
expect "recaudo-2.0.0.raucb · 2.0.0 · no se puede comparar"
expect "desconocida (no se pudo leer)"
expect "1 paquete de actualización (.raucb)"
press "recaudo-2.0.0.raucb · 2.0.0 · no se puede comparar"
press "Instalar"
expect "No se sabe qué versión está instalada. Toque «Instalar» otra vez para instalar 2.0.0 de todos modos"
expect-no-overlap
shot unknown
wait 1000
press "Instalar"
expect "2.0.0 instalada."
EOF
cat "$t/enter.part" - >"$t/none.script" <<'EOF'
expect "Este equipo no tiene el asistente de actualización del quiosco"
expect-no-overlap
shot no-helper
EOF

# run NAME INI SIZE: the script NAME against a fresh data dir; the helpers' logs in $t/NAME.*
run() {
  d=$t/data-$1-$3
  : >"$t/media.sock.log"
  : >"$t/update.sock.log"
  "$bin" --headless --demo --config "$2" --data "$d" --size "$3" --start "$start" \
    --script "$t/$1.script" --shots "$t/shots-$3" >"$t/$1.out" 2>&1
  echo $? >"$t/$1.rc"
  sleep 0.3 # the eject sent on leaving is not waited for
  tr "\n" " " <"$t/update.sock.log" >"$t/$1.upd"
}
audit() { q "$t/data-$1-$2" "select result, detail from audit where action = 'update.install' order by id" | tr "\n" " "; }

for size in 1080x1920 1280x800; do
  echo ok >"$t/update.mode"
  run newer "$t/helpers.ini" "$size"
  check '[ "$(cat "$t/newer.rc")" = 0 ]' "$size newer: $(tail -3 "$t/newer.out")"
  check '[ "$(cat "$t/newer.upd")" = "list install recaudo-2.0.0.raucb 600 " ]' "$size newer: the helper got $(cat "$t/newer.upd")"
  check '[ "$(audit newer "$size")" = "started|version=2.0.0 ok|version=2.0.0 " ]' "$size newer: audit $(audit newer "$size")"
  check 'grep -q "update 2.0.0 installed from maintenance mode" "$t/newer.out"' "$size newer: the log line"

  run older "$t/helpers.ini" "$size"
  check '[ "$(cat "$t/older.rc")" = 0 ]' "$size older: $(tail -3 "$t/older.out")"
  check '[ "$(cat "$t/older.upd")" = "list install recaudo-0.9.0.raucb 600 force " ]' "$size older: the helper got $(cat "$t/older.upd")"
  check '[ "$(audit older "$size")" = "started|version=0.9.0 forced ok|version=0.9.0 forced " ]' "$size older: audit $(audit older "$size")"

  echo money >"$t/update.mode"
  run money "$t/helpers.ini" "$size"
  check '[ "$(cat "$t/money.rc")" = 0 ]' "$size money: $(tail -3 "$t/money.out")"
  check '[ "$(audit money "$size")" = "started|version=2.0.0 money_waiting|version=2.0.0 " ]' "$size money: audit $(audit money "$size")"

  echo unknown >"$t/update.mode"
  run unknown "$t/helpers.ini" "$size"
  check '[ "$(cat "$t/unknown.rc")" = 0 ]' "$size unknown: $(tail -3 "$t/unknown.out")"
  check '[ "$(cat "$t/unknown.upd")" = "list install recaudo-2.0.0.raucb 600 force " ]' "$size unknown: the helper got $(cat "$t/unknown.upd")"
  echo ok >"$t/update.mode"
  run lapse "$t/helpers.ini" "$size"
  check '[ "$(cat "$t/lapse.rc")" = 0 ]' "$size lapse: $(tail -3 "$t/lapse.out")"
  check '[ "$(cat "$t/lapse.upd")" = "list " ] && [ -z "$(audit lapse "$size")" ]' \
    "$size lapse: installed without a confirming tap: $(cat "$t/lapse.upd") $(audit lapse "$size")"

  run none "$t/none.ini" "$size"
  check '[ "$(cat "$t/none.rc")" = 0 ]' "$size no helper: $(tail -3 "$t/none.out")"
  check '[ "$(cat "$t/none.upd")" = "" ] && [ ! -s "$t/media.sock.log" ]' "$size no helper: a helper was asked"
  "$bin" audit verify --data "$t/data-newer-$size" >"$t/verify.out" 2>&1
  check '[ $? -eq 0 ]' "$size audit verify: $(cat "$t/verify.out")"
done

# ---- the same from a technician's shell: recaudo maint software ----
echo ok >"$t/update.mode"
: >"$t/update.sock.log"
"$bin" maint software list --config "$t/helpers.ini" >"$t/cli.out" 2>&1
check '[ $? -eq 0 ] && grep -qx "recaudo-2.0.0.raucb 2.0.0 newer" "$t/cli.out" && grep -qx "roto.raucb - refused" "$t/cli.out" && grep -qx "running 1.0.0" "$t/cli.out" && grep -q "Memoria USB «TECNICO»" "$t/cli.out"' \
  "maint software list: $(cat "$t/cli.out")"
"$bin" maint software install recaudo-0.9.0.raucb force --config "$t/helpers.ini" >"$t/cli.out" 2>&1
check '[ $? -eq 0 ] && grep -q "^Paquete 0.9.0 verificado" "$t/cli.out" && grep -q "^Instalando 0.9.0" "$t/cli.out" && grep -q "^0.9.0 instalada." "$t/cli.out"' \
  "maint software install: $(cat "$t/cli.out")"
check '[ "$(tr "\n" " " <"$t/update.sock.log")" = "list install recaudo-0.9.0.raucb 600 force " ]' \
  "maint software: the helper got $(cat "$t/update.sock.log")"
echo money >"$t/update.mode"
"$bin" maint software install recaudo-2.0.0.raucb --config "$t/helpers.ini" >"$t/cli.out" 2>&1
check '[ $? -eq 1 ] && grep -q "No se instaló: después de 10 min" "$t/cli.out"' "maint software install, money: $(cat "$t/cli.out")"
echo refused >"$t/update.mode"
"$bin" maint software install recaudo-0.9.0.raucb --config "$t/helpers.ini" >"$t/cli.out" 2>&1
check '[ $? -eq 1 ] && grep -q "No se instaló: la versión del paquete no es más nueva que la instalada." "$t/cli.out"' \
  "maint software install, refused: $(cat "$t/cli.out")"
"$bin" maint software install ../x.raucb --config "$t/helpers.ini" >"$t/cli.out" 2>&1
check '[ $? -eq 1 ]' "maint software install of a path: $(cat "$t/cli.out")"
"$bin" maint software list --config "$t/none.ini" >"$t/cli.out" 2>&1
check '[ $? -eq 3 ]' "maint software list without a helper: $(cat "$t/cli.out")"
"$bin" maint software remove x --config "$t/helpers.ini" >"$t/cli.out" 2>&1
check '[ $? -eq 2 ] && grep -q "list, or install NAME \[force\]" "$t/cli.out"' "maint software remove: $(cat "$t/cli.out")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
