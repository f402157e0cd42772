#!/bin/sh
# `recaudo queue list|retry KEY|export [DIR]` (issue 9, docs/maintenance.md "Cola de envío"): a
# store after a scripted customer session (its coupon.issued event), the event turned into a
# dead letter with the sqlite3 CLI (as the sync worker does when the server rejects it); the list
# shows it with the ID masked (text and JSON); retry refuses a bad, an unknown and a not-dead key
# (message, exit 1, nothing changed) and puts the dead letter back to pending under the same key;
# export refuses a missing directory, a path under a regular file and a read-only file system
# (message, exit 1, no file), then writes one JSON file with the ID masked; each retry and export
# is an audit row with its result, and the audit chain still verifies.
# Usage: test_queue_cli.sh TMPDIR   (RECAUDO_BIN and RECAUDO_START come from tests/run.sh)
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
d=$t/data
db=$d/recaudo.db
q() { sqlite3 "$db" "$1"; }

# no store: a message, exit 1, nothing created
"$bin" queue list --data "$t/none" >"$t/none.out" 2>&1
check '[ $? -eq 1 ] && grep -q "no store" "$t/none.out" && [ ! -e "$t/none" ]' "missing store: $(cat "$t/none.out")"
"$bin" queue retry 00000000-0000-4000-8000-000000000000 --data "$t/none" >"$t/none2.out" 2>&1
check '[ $? -eq 1 ] && [ ! -e "$t/none" ]' "retry without a store: $(cat "$t/none2.out")"
"$bin" queue frob --data "$t/none" >"$t/usage.out" 2>&1
check '[ $? -eq 2 ] && grep -q "usage: recaudo queue" "$t/usage.out"' "usage: $(cat "$t/usage.out")"

# a scripted session: one coupon, its event; the server refused it
"$bin" --headless --demo --data "$d" --start "$start" --script tests/scenarios/journey_coupon.script \
  --shots "$t/shots" >"$t/session.out" 2>&1
check '[ $? -eq 0 ]' "session: $(tail -3 "$t/session.out")"
key=$(q "SELECT key FROM outbox WHERE type = 'coupon.issued' ORDER BY seq LIMIT 1")
seq=$(q "SELECT seq FROM outbox WHERE key = '$key'")
idn=$(q "SELECT json_extract(payload, '\$.id_number') FROM outbox WHERE key = '$key'")
last4=$(printf '%s' "$idn" | tail -c 4)
check '[ ${#key} -eq 36 ] && [ ${#idn} -ge 6 ]' "no coupon event ($key, ${#idn})"
q "UPDATE outbox SET state = 3, reason = 'id_number: $idn not on file', acked_at = $start WHERE key = '$key'"

# list: counts, the dead letter with the ID masked, never the ID
"$bin" queue list --data "$d" >"$t/list.out" 2>"$t/list.err"
check '[ $? -eq 0 ] && grep -q "1 dead letters" "$t/list.out"' "list: $(cat "$t/list.out" "$t/list.err")"
check 'grep -q "^dead $key seq $seq coupon.issued .* id ••••$last4 reason: id_number: ••••$last4 not on file$" "$t/list.out"' \
  "list line: $(cat "$t/list.out")"
check '! grep -q "$idn" "$t/list.out"' "list shows the ID number"
"$bin" queue list --json --data "$d" >"$t/list.json" 2>&1
check '[ $? -eq 0 ] && ! grep -q "$idn" "$t/list.json"' "list --json: $(cat "$t/list.json")"
check '/usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); l=j[\"dead_letters\"]; \
  sys.exit(0 if j[\"dead\"]==1 and len(l)==1 and l[0][\"key\"]==sys.argv[2] and l[0][\"id\"]==\"\u2022\"*4+sys.argv[3] \
  and l[0][\"seq\"]==int(sys.argv[4]) else 1)" "$t/list.json" "$key" "$last4" "$seq"' "list --json fields: $(cat "$t/list.json")"

# retry: refusals change nothing
"$bin" queue retry not-a-key --data "$d" >"$t/r1.out" 2>&1
check '[ $? -eq 1 ] && grep -q "is not an idempotency key" "$t/r1.out"' "bad key: $(cat "$t/r1.out")"
"$bin" queue retry 00000000-0000-4000-8000-000000000000 --data "$d" >"$t/r2.out" 2>&1
check '[ $? -eq 1 ] && grep -q "no event has the key" "$t/r2.out"' "unknown key: $(cat "$t/r2.out")"
check '[ "$(q "SELECT state FROM outbox WHERE key = '"'$key'"'")" = 3 ]' "a refused retry changed the dead letter"
# the dead letter goes back with its key, sequence and payload
before=$(q "SELECT payload FROM outbox WHERE key = '$key'")
"$bin" queue retry "$key" --data "$d" >"$t/r3.out" 2>&1
check '[ $? -eq 0 ] && grep -q "event $seq is back in the queue" "$t/r3.out"' "retry: $(cat "$t/r3.out")"
check '[ "$(q "SELECT state || seq FROM outbox WHERE key = '"'$key'"'")" = "0$seq" ]' "not pending under its key"
check '[ "$(q "SELECT payload FROM outbox WHERE key = '"'$key'"'")" = "$before" ]' "payload changed"
"$bin" queue retry "$key" --data "$d" >"$t/r4.out" 2>&1
check '[ $? -eq 1 ] && grep -q "not a dead letter" "$t/r4.out"' "retry of a pending event: $(cat "$t/r4.out")"
check '[ "$(q "SELECT group_concat(result || \" \" || detail, \";\") FROM audit WHERE action = '"'queue.retry'"' ORDER BY id")" = \
  "failed code=bad_key;failed code=unknown_key;ok seq=$seq;failed code=not_dead" ]' \
  "retry audit rows: $(q "SELECT group_concat(result || ' ' || detail, ';') FROM audit WHERE action = 'queue.retry'")"

# export: a missing directory, a path under a regular file: message, exit 1, nothing written
"$bin" queue export "$t/usb-missing" --data "$d" >"$t/e1.out" 2>&1
check '[ $? -eq 1 ] && grep -q "is not there" "$t/e1.out" && [ ! -e "$t/usb-missing" ]' "missing dir: $(cat "$t/e1.out")"
: >"$t/plain"
"$bin" queue export "$t/plain/usb" --data "$d" >"$t/e2.out" 2>&1
check '[ $? -eq 1 ] && grep -q "nothing was written" "$t/e2.out" && [ ! -s "$t/plain" ]' "under a file: $(cat "$t/e2.out")"
# a read-only file system: a read-only tmpfs in a private mount namespace (the mount ends with
# the command); without namespaces, a directory this user cannot write in (as root only sysfs
# stops a write)
mkdir -p "$t/ro"
if [ "$(id -u)" = 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
if $ns sh -c 'mount -t tmpfs -o ro,size=64k tmpfs "$1"' sh "$t/ro" 2>/dev/null; then
  $ns sh -c 'mount -t tmpfs -o ro,size=64k tmpfs "$1" && exec "$2" queue export "$1" --data "$3"' sh "$t/ro" "$bin" "$d" \
    >"$t/e3.out" 2>&1
  rc=$?
  ro_what="read-only tmpfs"
elif [ "$(id -u)" = 0 ]; then
  "$bin" queue export /sys --data "$d" >"$t/e3.out" 2>&1
  rc=$?
  ro_what="/sys (no mount namespace)"
else
  chmod 0500 "$t/ro"
  "$bin" queue export "$t/ro" --data "$d" >"$t/e3.out" 2>&1
  rc=$?
  chmod 0700 "$t/ro"
  ro_what="a 0500 directory (no mount namespace)"
fi
echo "read-only case on $ro_what"
check '[ $rc -eq 1 ] && grep -q "cannot write in" "$t/e3.out" && [ -z "$(ls -A "$t/ro")" ]' "read-only ($ro_what): $(cat "$t/e3.out")"

# export: one file, named with the kiosk and the UTC time, the ID masked, no temporary left
# (every audit row is also a maintenance.action event in the queue)
mkdir -p "$t/usb"
n=$(q "SELECT count(*) FROM outbox WHERE state IN (0, 1)")
"$bin" queue export "$t/usb" --data "$d" >"$t/e4.out" 2>&1
check '[ $? -eq 0 ] && grep -q "^exported $n unsynced events and 0 dead letters to $t/usb/recaudo-queue-k0001-[0-9]\{8\}T[0-9]\{6\}Z.json$" "$t/e4.out"' \
  "export: $(cat "$t/e4.out")"
check '[ "$(ls -A "$t/usb" | wc -l)" -eq 1 ]' "export left: $(ls -A "$t/usb")"
f=$(ls "$t"/usb/recaudo-queue-k0001-*.json 2>/dev/null | head -1)
check '[ -n "$f" ] && ! grep -q "$idn" "$f"' "the export holds the ID number"
check '/usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); e=j[\"events\"]; \
  sys.exit(0 if j[\"format\"]==\"recaudo-queue-export\" and j[\"kiosk_id\"]==1 and j[\"counts\"][\"pending\"]==int(sys.argv[4]) \
  and len(e)==int(sys.argv[4]) and [x[\"payload\"][\"id_number\"] for x in e if x[\"key\"]==sys.argv[2]]==[\"\u2022\"*4+sys.argv[3]] else 1)" \
  "$f" "$key" "$last4" "$n"' "export content: $(head -c 600 "$f")"
# the default directory: [maintenance] removable_dir
mkdir -p "$t/media"
printf '[kiosk]\nid = 12\n\n[maintenance]\nremovable_dir = %s\n' "$t/media" >"$t/kiosk.ini"
"$bin" queue export --config "$t/kiosk.ini" --data "$d" >"$t/e5.out" 2>&1
check '[ $? -eq 0 ] && ls "$t"/media/recaudo-queue-k0012-*.json >/dev/null 2>&1' "export to removable_dir: $(cat "$t/e5.out")"
check '[ "$(q "SELECT group_concat(result || \" \" || detail, \";\") FROM audit WHERE action = '"'queue.export'"' ORDER BY id")" = \
  "failed code=no_dir;failed code=not_dir;failed code=read_only;ok events=$n dead=0;ok events=$((n + 1)) dead=0" ]' \
  "export audit rows: $(q "SELECT group_concat(result || ' ' || detail, ';') FROM audit WHERE action = 'queue.export'")"

# the audit chain is whole, and no ID number went into it
"$bin" audit verify --data "$d" >"$t/v.out" 2>&1
check '[ $? -eq 0 ] && grep -q "^audit chain ok" "$t/v.out"' "audit verify: $(cat "$t/v.out")"
check '[ "$(q "SELECT count(*) FROM audit WHERE detail LIKE '"'%$idn%'"'")" = 0 ]' "ID number in the audit"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
