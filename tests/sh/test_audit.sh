#!/bin/sh
# `recaudo audit verify` (issue 9, docs/maintenance.md "Audit chain"): a store after a scripted
# customer session (its coupon's audit row) verifies; rows appended with the sqlite3 CLI and
# hashed by sha256sum over the canonical bytes of docs/store.md verify too (the documented
# format is the one the code computes); the triggers refuse UPDATE and DELETE; one row altered
# with the sqlite3 CLI (triggers dropped: a tampered store) fails, naming the row, exit 1.
# Usage: test_audit.sh TMPDIR   (RECAUDO_BIN and RECAUDO_START come from tests/run.sh)
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
db=$t/data/recaudo.db

# no store: a message, exit 1, nothing created
"$bin" audit verify --data "$t/none" >"$t/none.out" 2>&1
check '[ $? -eq 1 ] && grep -q "no store" "$t/none.out" && [ ! -e "$t/none" ]' "missing store: $(cat "$t/none.out")"

# a scripted session: one coupon, its audit row
"$bin" --headless --demo --data "$t/data" --start "$start" --script tests/scenarios/journey_coupon.script \
  --shots "$t/shots" >"$t/session.out" 2>&1
check '[ $? -eq 0 ]' "session: $(tail -3 "$t/session.out")"
n=$(sqlite3 "$db" "SELECT count(*) FROM audit")
check '[ "$n" -ge 1 ]' "no audit row after the session ($n)"
"$bin" audit verify --data "$t/data" >"$t/v1.out" 2>&1
check '[ $? -eq 0 ] && grep -q "^audit chain ok: $n rows, head [0-9a-f]\{64\}$" "$t/v1.out"' "verify after the session: $(cat "$t/v1.out")"

# three rows appended by hand, hashed as docs/store.md says
prev=$(sqlite3 "$db" "SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
for i in 1 2 3; do
  id=$((n + i)) at=$((start + i)) action=maint.test result=ok detail="step=$i"
  canon="$prev|$id|$at|${#action}:$action|${#result}:$result|${#detail}:$detail"
  hash=$(printf '%s' "$canon" | sha256sum | cut -c1-64)
  sqlite3 "$db" "INSERT INTO audit(id, at, action, result, detail, prev, hash)
    VALUES($id, $at, '$action', '$result', '$detail', '$prev', '$hash')"
  prev=$hash
done
"$bin" audit verify --data "$t/data" >"$t/v2.out" 2>&1
check '[ $? -eq 0 ] && grep -qx "audit chain ok: $((n + 3)) rows, head $prev" "$t/v2.out"' "verify with the hand-made rows: $(cat "$t/v2.out")"

# append-only
sqlite3 "$db" "UPDATE audit SET detail = 'x' WHERE id = $((n + 2))" >"$t/upd.out" 2>&1
check '[ $? -ne 0 ] && grep -q "append-only" "$t/upd.out"' "UPDATE not refused: $(cat "$t/upd.out")"
sqlite3 "$db" "DELETE FROM audit WHERE id = $((n + 2))" >"$t/del.out" 2>&1
check '[ $? -ne 0 ] && grep -q "append-only" "$t/del.out"' "DELETE not refused: $(cat "$t/del.out")"

# a tampered store: the trigger dropped, one row's detail changed
sqlite3 "$db" "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'step=9' WHERE id = $((n + 2))"
"$bin" audit verify --data "$t/data" >"$t/v3.out" 2>&1
rc=$?
check '[ $rc -eq 1 ] && grep -qx "audit row $((n + 2)): hash does not match its content" "$t/v3.out"' "tampered row not named (rc=$rc): $(cat "$t/v3.out")"
check '! grep -q "audit chain ok" "$t/v3.out"' "tampered store said ok"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
