#!/bin/sh
# The maintenance screen "Cola de envío" with dead letters (issue 9, docs/maintenance.md "Cola de
# envío"), at 1080x1920 and 1280x800: a store after a scripted customer session, its coupon event
# and 8 more events made dead letters with the sqlite3 CLI; queue_dead.script pages the list,
# retries one row and exports to the configured removable storage. Then the store: one dead
# letter fewer, the retried one pending under its key; audit rows queue.retry ok and
# queue.export ok; one export file without the ID number, no temporary file.
# Usage: test_queue_screen.sh TMPDIR   (RECAUDO_BIN and RECAUDO_START come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
start=${RECAUDO_START:-1795359600}
here=$(dirname "$0")
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

"$bin" --headless --demo --data "$t/seed" --start "$start" --script tests/scenarios/journey_coupon.script \
  --shots "$t/seed-shots" >"$t/seed.out" 2>&1
check '[ $? -eq 0 ]' "session: $(tail -3 "$t/seed.out")"
idn=$(sqlite3 "$t/seed/recaudo.db" "SELECT json_extract(payload, '\$.id_number') FROM outbox WHERE type = 'coupon.issued'")
check '[ "$idn" = 1020304050 ]' "the session's customer: ${#idn} digits"
sqlite3 "$t/seed/recaudo.db" "
  UPDATE outbox SET state = 3, reason = 'id_number: $idn not on file', acked_at = $start + 30 WHERE type = 'coupon.issued';
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)
  INSERT INTO outbox(seq, key, type, at, payload, state, attempts, reason, acked_at)
    SELECT (SELECT value FROM counters WHERE name = 'outbox_seq') + i,
           printf('%08x-0000-4000-8000-%012x', i, i), 'test.unknown', $start + i,
           '{\"id_number\":\"9988776' || i || '\"}', 3, 0, 'type: unknown event type', $start + 60 FROM n;
  UPDATE counters SET value = value + 8 WHERE name = 'outbox_seq';"
check '[ "$(sqlite3 "$t/seed/recaudo.db" "SELECT count(*) FROM outbox WHERE state = 3")" = 9 ]' "9 dead letters not made"

for size in 1080x1920 1280x800; do
  d=$t/d-$size usb=$t/usb-$size
  rm -rf "$d" "$usb"
  cp -r "$t/seed" "$d"
  mkdir -p "$usb"
  printf '[maintenance]\nremovable_dir = %s\n' "$usb" >"$t/kiosk-$size.ini"
  "$bin" --headless --demo --config "$t/kiosk-$size.ini" --data "$d" --size "$size" --start "$start" \
    --script "$here/queue_dead.script" --shots "$t/shots-$size" >"$t/run-$size.out" 2>&1
  check '[ $? -eq 0 ]' "screen at $size: $(grep -v '^recaudo:' "$t/run-$size.out" | tail -5)"
  db=$d/recaudo.db
  check '[ "$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE state = 3")" = 8 ]' "$size: not one dead letter fewer"
  seq=$(sqlite3 "$db" "SELECT detail FROM audit WHERE action = 'queue.retry' AND result = 'ok'" | sed 's/^seq=//')
  check '[ -n "$seq" ] && [ "$(sqlite3 "$db" "SELECT state FROM outbox WHERE seq = ${seq:-0}")" = 0 ]' "$size: retried seq '$seq' not pending"
  check '[ "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = '"'queue.export'"' AND result = '"'ok'"' AND detail LIKE '"'events=% dead=8'"'")" = 1 ]' \
    "$size: export audit: $(sqlite3 "$db" "SELECT result, detail FROM audit WHERE action = 'queue.export'")"
  check '[ "$(ls -A "$usb" | wc -l)" -eq 1 ] && ls "$usb"/recaudo-queue-k0001-*.json >/dev/null 2>&1' "$size: export files: $(ls -A "$usb")"
  check '! grep -q "$idn" "$usb"/* && ! grep -q 99887761 "$usb"/*' "$size: the export holds an ID number"
  check '! grep -q "$idn" "$t/run-$size.out"' "$size: the log holds the ID number"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
