#!/bin/sh
# `recaudo maint config get|set` (docs/maintenance.md "Configuración"): the listing with key
# material masked; a whitelisted edit changes its one line (comments kept), keeps the old file as
# .prev and the file's mode; a bad value, a read-only key, an unknown key and a kiosk without a
# configuration file are refused with a message and leave the file byte for byte as it was
# (cmp); each try is one config.set audit row naming the key, never the value.
# Usage: test_maint_config.sh TMPDIR   (RECAUDO_BIN comes from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
audit() { python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute("select action, result, detail from audit order by id"):
    print("|".join(r))' "$t/d/recaudo.db"; }

ini=$t/recaudo.ini
cat >"$ini" <<'INI'
; a kiosk
[kiosk]
id = 12                    ; the kiosk
support_line = 601 555 0100

[session]
inactivity_s = 60          ; idle time
countdown_s = 25

[central]
pinned_key = sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
INI
chmod 640 "$ini"
cp "$ini" "$t/orig.ini"
cfg="--config $ini --data $t/d"

# get: everything, the pin masked, the editable ones marked
"$bin" maint config get --config "$ini" >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -qx "kiosk.id = 12" "$t/out"' "get: $(cat "$t/out" "$t/err")"
check 'grep -qx "central.pinned_key = ••••" "$t/out" && ! grep -q AAAA "$t/out"' "get: the pin shows"
check 'grep -q "^session.inactivity_s = 60 .*editable (live)" "$t/out"' "get: inactivity not editable"
check 'grep -q "^printer.target = .*editable (restart)" "$t/out"' "get: target not editable"
check '[ "$(grep -c "editable" "$t/out")" -ge 8 ] && [ "$(wc -l <"$t/out")" -ge 40 ]' "get: rows"
check '[ "$("$bin" maint config get session.countdown_s --config "$ini")" = 25 ]' "get one"
"$bin" maint config get nope.key --config "$ini" >/dev/null 2>"$t/err"
check '[ $? -ne 0 ] && grep -q "no setting" "$t/err"' "get unknown: $(cat "$t/err")"

# a good value: the one line, comment kept; .prev is the old file; the mode kept
"$bin" maint config set session.inactivity_s 90 $cfg >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -q "session.inactivity_s = 90" "$t/out"' "set: $(cat "$t/out" "$t/err")"
check 'grep -qx "inactivity_s = 90          ; idle time" "$ini"' "set: the line: $(grep inactivity "$ini")"
check 'cmp -s "$ini.prev" "$t/orig.ini"' "set: .prev is not the old file"
check '[ "$(diff "$t/orig.ini" "$ini" | grep -c "^[<>]")" -eq 2 ]' "set: more than one line changed"
check '[ "$(stat -c %a "$ini")" = 640 ]' "set: mode $(stat -c %a "$ini")"
check '[ -z "$(find "$t" -maxdepth 1 -name ".recaudo.ini.*")" ]' "set: a temporary file is left"

# refused: a message, exit 1, the file byte for byte as it was
cp "$ini" "$t/before.ini"
refuse() { # MESSAGE ARGS...
  want=$1; shift
  "$bin" maint config set "$@" $cfg >"$t/out" 2>"$t/err"
  rc=$?
  check '[ $rc -eq 1 ] && grep -q -- "$want" "$t/err" && grep -q "nothing was changed" "$t/err"' "set $*: rc=$rc $(cat "$t/err")"
  check 'cmp -s "$ini" "$t/before.ini"' "set $*: the file changed"
}
refuse "from 10 to 3600" session.inactivity_s 5
refuse "bad value for \[session\] inactivity_s" session.inactivity_s abc
refuse "80mm or 58mm" printer.profile 76mm
refuse "read-only" kiosk.id 13
refuse "read-only" central.url https://example.org
refuse "no setting" kiosk.nonsense 1
refuse "control character" kiosk.support_line "$(printf '1\n[kiosk]\nid=1')"
check 'cmp -s "$ini.prev" "$t/orig.ini"' "a refused edit touched .prev"
# no configuration file: refused, nothing created
"$bin" maint config set session.done_s 9 --data "$t/d" >"$t/out" 2>"$t/err"
check '[ $? -eq 1 ] && grep -q "compiled defaults" "$t/err" && grep -q -- "--config FILE" "$t/err"' "no file: $(cat "$t/err")"

# the support line (a phone number): set, but never echoed or audited with its value
"$bin" maint config set kiosk.support_line "601 999 4321" $cfg >"$t/out" 2>"$t/err"
check '[ $? -eq 0 ] && grep -qx "support_line = 601 999 4321" "$ini"' "support line: $(cat "$t/err")"
check '! grep -q "999" "$t/out" "$t/err"' "support line echoed"
audit >"$t/audit"
check '! grep -q "999\|555" "$t/audit"' "support line in the audit"
check '[ "$(grep -c "^config.set|ok|key=session.inactivity_s$" "$t/audit")" -eq 1 ]' "audit ok: $(cat "$t/audit")"
check '[ "$(grep -c "^config.set|refused|key=session.inactivity_s$" "$t/audit")" -eq 2 ]' "audit refused"
check 'grep -q "^config.set|refused|key=kiosk.id$" "$t/audit" && grep -q "^config.set|refused|key=unknown.setting$" "$t/audit"' \
  "audit read-only/unknown"
check 'grep -q "^config.set|ok|key=kiosk.support_line$" "$t/audit"' "audit support line"
"$bin" audit verify --data "$t/d" >/dev/null 2>&1
check '[ $? -eq 0 ]' "the audit chain"

# the kiosk starts on the edited file
"$bin" status --config "$ini" --data "$t/d" >"$t/out" 2>&1
check '[ $? -eq 0 ] && grep -q "kiosk 12" "$t/out"' "status on the edited file: $(cat "$t/out")"

# the maintenance screen (tests/sh/maint_config_*.script) at both sizes: good edits change the
# file (comments kept, .prev the file before, a live setting in use at once); a bad value and a
# read-only setting leave it byte for byte as it was
start=${RECAUDO_START:-1795359600}
repo=$(pwd)
abs_bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
for size in 1080x1920 1280x800; do
  s=$t/screen-$size
  mkdir -p "$s"
  printf '; a kiosk\n[kiosk]\nid = 12                    ; the kiosk\n\n[session]\ninactivity_s = 60          ; idle time\n\n[printer]\nbackend = virtual\n' >"$s/recaudo.ini"
  cp "$s/recaudo.ini" "$s/orig.ini"
  # run from inside the test's folder: the virtual printer's new target ("192.168.1.50:9100",
  # a folder for that backend) is made there, not in the working tree
  (cd "$s" && "$abs_bin" --headless --demo --config "$s/recaudo.ini" --data "$s/d" --size "$size" --start "$start" \
    --script "$repo/tests/sh/maint_config_good.script" --shots "$s/shots") >"$t/out" 2>&1
  check '[ $? -eq 0 ]' "screen $size good: $(tail -n 3 "$t/out")"
  check '[ ! -e "192.168.1.50:9100" ]' "screen $size: a folder made in the working tree"
  check 'grep -qx "inactivity_s = 20          ; idle time" "$s/recaudo.ini"' "screen $size: inactivity"
  check 'grep -qx "profile = 58mm" "$s/recaudo.ini" && grep -qx "target = 192.168.1.50:9100" "$s/recaudo.ini"' "screen $size: printer"
  check 'grep -qx "support_line = 601 5550100" "$s/recaudo.ini"' "screen $size: support line"
  check 'grep -qx "; a kiosk" "$s/recaudo.ini" && grep -qx "id = 12                    ; the kiosk" "$s/recaudo.ini"' "screen $size: the rest"
  check '[ -s "$s/recaudo.ini.prev" ] && ! cmp -s "$s/recaudo.ini.prev" "$s/recaudo.ini"' "screen $size: no .prev"
  check '! grep -q "5550100" "$t/out"' "screen $size: the support line is in the log"
  check 'grep -qx "language = en" "$s/recaudo.ini"' "screen $size: language"
  # back to Spanish for the next run (the command line, audited in the same store)
  "$bin" maint config set kiosk.language es --config "$s/recaudo.ini" --data "$s/d" >/dev/null
  check '[ $? -eq 0 ]' "screen $size: language back"
  cp "$s/recaudo.ini" "$s/before.ini"
  cp "$s/recaudo.ini.prev" "$s/before.prev"
  (cd "$s" && "$abs_bin" --headless --demo --config "$s/recaudo.ini" --data "$s/d" --size "$size" --start "$start" \
    --script "$repo/tests/sh/maint_config_bad.script" --shots "$s/shots") >"$t/out" 2>&1
  check '[ $? -eq 0 ]' "screen $size bad: $(tail -n 3 "$t/out")"
  check '[ ! -e "192.168.1.50:9100" ]' "screen $size: a folder made in the working tree (bad)"
  check 'cmp -s "$s/recaudo.ini" "$s/before.ini" && cmp -s "$s/recaudo.ini.prev" "$s/before.prev"' "screen $size: a refused edit changed the file"
  check '[ -z "$(find "$s" -maxdepth 1 -name ".recaudo.ini.*")" ]' "screen $size: a temporary file is left"
  t2=$t; t=$s; audit >"$s/audit"; t=$t2
  check '[ "$(grep -c "^config.set|ok|" "$s/audit")" -eq 6 ]' "screen $size: audit ok rows: $(cat "$s/audit")"
  check 'grep -q "^config.set|refused|key=session.countdown_s$" "$s/audit" && grep -q "^config.set|refused|key=kiosk.id$" "$s/audit"' \
    "screen $size: audit refused rows"
  check '! grep -q "5550100" "$s/audit"' "screen $size: the support line audited"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
