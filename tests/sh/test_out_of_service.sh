#!/bin/sh
# Out of service (issue 8): each cause — a corrupt store (garbage, or a b-tree page that fails the
# integrity check), a full disk, a clock before the build
# date, the technician's flag — brings the kiosk up on the out-of-service screen instead of
# attract (in Spanish and English, with the kiosk number and the support line, nothing
# overlapping), and the kiosk leaves it by itself at the re-check after the cause clears: the
# store is replaced by a good one, the space is freed, the clock passes the build date, the flag
# is cleared. The script is fed through a FIFO so the cause can be cleared while the kiosk runs;
# `recaudo status` on a corrupt store keeps failing with its message.
# Usage: test_out_of_service.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START and TZ come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
start=${RECAUDO_START:-1795359600}
rm -rf "$t"
mkdir -p "$t"
t=$(cd "$t" && pwd)
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

printf '[kiosk]\nid = 42\nsupport_line = 601 555 0100\n' >"$t/k.ini"
"$bin" import assets/demo/portfolio.json --data "$t/good" >/dev/null 2>&1

# live NAME DATA START REASON ACTION: runs the kiosk headless on DATA from START; checks the
# out-of-service screen (REASON: the Spanish line for the cause), saves before.png, runs ACTION
# in the shell, then lets 14 s pass (still out of service: the re-check is every 15 s) and 2 s
# more (back on attract). The output ends with rc=N.
cat >"$t/live.sh" <<'EOS'
live() {
  name=$1 data=$2 st=$3 reason=$4 action=$5
  fifo="$t/$name.fifo"
  rm -f "$fifo"
  mkfifo "$fifo"
  "$bin" --headless --config "$t/k.ini" --data "$data" --start "$st" --script "$fifo" \
    --shots "$t/$name" >"$t/$name.out" 2>&1 &
  pid=$!
  exec 3>"$fifo" # returns once the kiosk has started and opened its script
  printf '%s\n' 'expect-screen out-of-service' 'expect "Fuera de servicio"' 'expect "Out of service"' \
    "expect \"$reason\"" 'expect "Punto de pago n.º 42"' 'expect "Soporte: 601 555 0100"' \
    'expect-no-overlap' 'shot before' >&3
  i=0
  while [ ! -s "$t/$name/before.png" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
  eval "$action"
  printf '%s\n' 'wait 14000' 'expect-screen out-of-service' 'wait 2000' 'expect-screen attract' \
    'expect "Toque para comenzar"' 'expect-no-overlap' 'shot after' >&3
  exec 3>&-
  wait $pid
  echo "rc=$?" >>"$t/$name.out"
  rm -f "$fifo"
}
EOS
. "$t/live.sh"

# ---- a corrupt store: garbage where the store should be ----
mkdir -p "$t/corrupt"
head -c 65536 /dev/urandom >"$t/corrupt/recaudo.db"
chmod 600 "$t/corrupt/recaudo.db"
"$bin" status --data "$t/corrupt" >"$t/status.out" 2>&1
check '[ $? -ne 0 ] && grep -q "file is not a database" "$t/status.out"' "status on a corrupt store: $(cat "$t/status.out")"
live corrupt "$t/corrupt" "$start" "No se pueden abrir los datos del punto de pago." \
  'cp "$t/good/recaudo.db" "$t/corrupt/recaudo.db"'
check 'grep -q "rc=0" "$t/corrupt.out"' "corrupt store: $(cat "$t/corrupt.out")"
check 'grep -q "out of service (store): .*file is not a database" "$t/corrupt.out" && grep -q "back in service" "$t/corrupt.out"' \
  "corrupt store: the log names the cause and the return: $(cat "$t/corrupt.out")"
check '[ -s "$t/corrupt/before.png" ] && [ -s "$t/corrupt/after.png" ]' "corrupt store: no shots"

# ---- a store that opens but fails its integrity check: bytes overwritten in the middle of a
# leaf page of the documents table (the meta table still reads); the check runs on the
# retention worker after the start, the services close, and only a changed file is checked
# again (the good store copied over it) ----
if command -v sqlite3 >/dev/null 2>&1; then
  cp -r "$t/good" "$t/btree"
  db="$t/btree/recaudo.db"
  ps=$(sqlite3 "$db" 'PRAGMA page_size')
  pg=$(sqlite3 "$db" "SELECT min(pageno) FROM dbstat WHERE name = 'documents' AND pagetype = 'leaf'")
  head -c 256 /dev/zero | tr '\000' '\377' | dd of="$db" bs=1 seek=$(((pg - 1) * ps + ps / 2)) conv=notrunc 2>/dev/null
  check '[ "$(sqlite3 "$db" "PRAGMA quick_check" 2>&1 | head -1)" != ok ] && [ "$(sqlite3 "$db" "SELECT count(*) FROM meta")" -gt 0 ]' \
    "the corrupted store: quick_check must fail while meta still reads (page $pg)"
  # a re-check on the same file first (at 15 s), then the good store copied over it
  live btree "$t/btree" "$start" "No se pueden abrir los datos del punto de pago." \
    'printf "%s\n" "wait 15500" "expect-screen out-of-service" "shot same" >&3
     i=0; while [ ! -s "$t/btree/same.png" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
     cp "$t/good/recaudo.db" "$db"'
  check 'grep -q "rc=0" "$t/btree.out"' "corrupt b-tree page: $(cat "$t/btree.out")"
  check 'grep -q "out of service (store): the store failed its integrity check: .*page" "$t/btree.out" &&
    grep -q "the store.s file changed: checking it again" "$t/btree.out" &&
    grep -q "the store passed its integrity check" "$t/btree.out" && grep -q "back in service" "$t/btree.out"' \
    "corrupt b-tree page: the log names the check, the re-check and the return: $(cat "$t/btree.out")"
  check '[ "$(grep -c "failed its integrity check" "$t/btree.out")" -eq 2 ]' \
    "corrupt b-tree page: checked once, not again at each re-check while the file is the same: $(cat "$t/btree.out")"
else
  bad "sqlite3 is not installed (Debian package sqlite3)"
fi

# ---- a clock before the build date: 10 s before it, then it passes ----
bd=$(date -u -d "$(sed -n 's/^BUILD_DATE ?= *//p' config.mk)" +%s)
live clock "$t/clockdata" "$((bd - 10))" "La fecha y la hora del equipo no son correctas." ':'
check 'grep -q "rc=0" "$t/clock.out"' "bad clock: $(cat "$t/clock.out")"
check 'grep -q "out of service (clock)" "$t/clock.out"' "bad clock not logged: $(cat "$t/clock.out")"

# ---- the technician's flag in the store's meta table, then cleared ----
if command -v sqlite3 >/dev/null 2>&1; then
  cp -r "$t/good" "$t/tech"
  sqlite3 "$t/tech/recaudo.db" "INSERT OR REPLACE INTO meta(key, value) VALUES ('out_of_service', 'printer repair')"
  live tech "$t/tech" "$start" "El punto de pago está en mantenimiento." \
    'sqlite3 "$t/tech/recaudo.db" "UPDATE meta SET value = '"''"' WHERE key = '"'out_of_service'"'"'
  check 'grep -q "rc=0" "$t/tech.out"' "technician flag: $(cat "$t/tech.out")"
else
  bad "sqlite3 is not installed (Debian package sqlite3)"
fi

# ---- a full disk: a 12 MB tmpfs filled up, then the filler removed ----
full="$t/full"
mkdir -p "$full"
cat >"$t/full.sh" <<EOF
set -u
t="$t" bin="$bin"
. "$t/live.sh"
mount -t tmpfs -o size=12m tmpfs "$full" || exit 90
head -c 16m /dev/zero >"$full/filler" 2>/dev/null
live disk "$full/data" "$start" "El disco del equipo está lleno." 'rm -f "$full/filler"'
umount "$full"
EOF
if unshare -m sh "$t/full.sh" 2>"$t/unshare.err" || unshare -rm sh "$t/full.sh" 2>>"$t/unshare.err"; then
  check 'grep -q "rc=0" "$t/disk.out"' "full disk: $(cat "$t/disk.out")"
  check 'grep -q "out of service (disk full): the disk holding .* is full" "$t/disk.out"' "full disk not named: $(cat "$t/disk.out")"
else
  bad "cannot mount a small tmpfs in a mount namespace (unshare -m / -rm): $(cat "$t/unshare.err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
