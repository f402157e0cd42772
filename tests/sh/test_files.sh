#!/bin/sh
# Files, secrets, configuration and the tester's tools (issue 7, sections 3-5 and 11):
#   - read-only commands (status, verify-coupon) create nothing; a failed import into a new
#     directory leaves nothing; the harness creates its shots folder with its parents;
#   - under umask 022 the data directory is 0700 and every file in it 0600; an older, looser
#     store is tightened; key and secret files others can read, or owned by another user, are
#     refused (ssh's wording); kiosk.key's directory is fsynced after the key is created;
#   - a full disk is named as such, and `status` still answers on it;
#   - the INI: over-long lines are refused with FILE:LINE, and a bad backend or a missing
#     secret file is found before anything touches the disk, with FILE:LINE;
#   - `controls`, the closest candidates of an unmatched press, --help, `recaudo sync` and the
#     status fields online / last_error / store_bytes / free_bytes.
# Usage: test_files.sh TMPDIR   (RECAUDO_BIN, RECAUDO_START and TZ come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
build=$(dirname "$bin")
start=${RECAUDO_START:-1795359600}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
mode() { stat -c %a "$1" 2>/dev/null; }

# ---- section 3: read-only commands create nothing; failures leave no trace ----
"$bin" status --json --data "$t/ro/none" >"$t/out" 2>&1
check '[ $? -eq 0 ] && grep -q "\"customers\":0" "$t/out"' "status of a missing store: $(cat "$t/out")"
check '[ ! -e "$t/ro/none" ] && [ ! -e "$t/ro" ]' "status created the data directory"
"$bin" verify-coupon "RCP1;K=1;S=1" --data "$t/ro/v" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "kiosk key" "$t/out"' "verify without a key: $(cat "$t/out")"
check '[ ! -e "$t/ro/v" ]' "verify-coupon created a data directory or a key"
printf '{"format":"nope"}' >"$t/bad.json"
"$bin" import "$t/bad.json" --data "$t/ro/imp/deep" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "nothing was changed" "$t/out"' "bad import: $(cat "$t/out")"
check '[ ! -e "$t/ro/imp" ] && [ ! -e "$t/ro" ]' "a failed import left $(ls -R "$t/ro" 2>&1)"
# a failed import into an existing store leaves it as it was
"$bin" import assets/demo/portfolio.json --data "$t/ro/imp2" >/dev/null 2>&1
"$bin" import "$t/bad.json" --data "$t/ro/imp2" >/dev/null 2>&1
check '[ -s "$t/ro/imp2/recaudo.db" ]' "a failed import removed an existing store"
printf 'expect-screen attract\n' >"$t/a.script"
"$bin" --headless --demo --data "$t/h" --start "$start" --script "$t/a.script" --shots "$t/no/such/shots" >"$t/out" 2>&1
check '[ $? -eq 0 ] && [ -d "$t/no/such/shots" ]' "shots folder with missing parents: $(cat "$t/out")"
# an existing shots folder is used as it is (never made private: it may be shared, even /tmp)
mkdir -p "$t/shared"; chmod 755 "$t/shared"
"$bin" --headless --demo --data "$t/h" --start "$start" --script "$t/a.script" --shots "$t/shared" >"$t/out" 2>&1
check '[ $? -eq 0 ] && [ "$(mode "$t/shared")" = 755 ]' "shots folder changed to $(mode "$t/shared"): $(cat "$t/out")"
# status on a stopped kiosk's store leaves no -wal or -shm behind
ls "$t/h" >"$t/ls1"
"$bin" status --json --data "$t/h" >"$t/out" 2>&1
ls "$t/h" >"$t/ls2"
check 'grep -q "\"customers\":37" "$t/out" && cmp -s "$t/ls1" "$t/ls2"' "status left files: $(diff "$t/ls1" "$t/ls2") $(cat "$t/out")"

# ---- section 4: private files whatever the umask ----
(umask 022; "$bin" --headless --demo --data "$t/p/data" --start "$start" --script "$t/a.script" --shots "$t/p/shots" >"$t/out" 2>&1)
check '[ "$(mode "$t/p/data")" = 700 ]' "data directory mode $(mode "$t/p/data")"
check '[ "$(mode "$t/p/data/recaudo.db")" = 600 ] && [ "$(mode "$t/p/data/kiosk.key")" = 600 ]' \
  "store/key modes: $(ls -l "$t/p/data")"
check '[ "$(mode "$t/p/data/receipts")" = 700 ]' "receipts mode $(mode "$t/p/data/receipts")"
loose=$(find "$t/p/data" -perm /077 | head -n 3)
check '[ -z "$loose" ]' "files others can read: $loose"
# an older store made under umask 022 is tightened at the next start
chmod 755 "$t/p/data"; chmod 644 "$t/p/data/recaudo.db"
(umask 022; "$bin" status --json --data "$t/p/data" >/dev/null 2>&1)
check '[ "$(mode "$t/p/data")" = 755 ]' "status (read-only) changed modes"
(umask 022; "$bin" --headless --data "$t/p/data" --start "$start" --script "$t/a.script" --shots "$t/p/shots" >"$t/out" 2>&1)
check '[ "$(mode "$t/p/data")" = 700 ] && [ "$(mode "$t/p/data/recaudo.db")" = 600 ]' "loose store not tightened: $(ls -ld "$t/p/data" "$t/p/data/recaudo.db")"
# a kiosk key others can read is refused, like ssh does
chmod 644 "$t/p/data/kiosk.key"
"$bin" --headless --data "$t/p/data" --start "$start" --script "$t/a.script" --shots "$t/p/shots" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "permissions 0644 for .*kiosk.key.* are too open" "$t/out"' "open key accepted: $(cat "$t/out")"
"$bin" verify-coupon "x" --data "$t/p/data" >"$t/out" 2>&1
check 'grep -q "are too open" "$t/out"' "verify-coupon with an open key: $(cat "$t/out")"
chmod 600 "$t/p/data/kiosk.key"
# a key file owned by someone else is refused: as root, a key given to nobody; otherwise, in a
# user namespace where we are root, a file of the real root (seen there as nobody)
cp "$t/p/data/kiosk.key" "$t/other.key"; chmod 600 "$t/other.key"
if [ "$(id -u)" = 0 ]; then
  chown 65534 "$t/other.key"
  printf '[security]\nqr_key_file = %s\n' "$t/other.key" >"$t/other.ini"
  "$bin" verify-coupon x --config "$t/other.ini" --data "$t/p/data" >"$t/out" 2>&1
else
  printf '[security]\nqr_key_file = %s\n' "/etc/hostname" >"$t/other.ini"
  unshare -r "$bin" verify-coupon x --config "$t/other.ini" --data "$t/p/data" >"$t/out" 2>&1
fi
check 'grep -q "other.ini:2: .*belongs to another user" "$t/out"' "foreign key owner: $(cat "$t/out")"
# kiosk.key is fsynced, and so is the directory that names it (strace shows both)
if command -v strace >/dev/null 2>&1; then
  strace -f -qq -y -e trace=openat,fsync -o "$t/strace" "$bin" --headless --data "$t/sy" --start "$start" \
    --script "$t/a.script" --shots "$t/sy-shots" >"$t/out" 2>&1
  keyline=$(grep -n 'kiosk.key", O_WRONLY|O_CREAT' "$t/strace" | head -n 1 | cut -d: -f1)
  # -y names each fd's file: an fsync of the data directory itself, after the key was made
  syncline=$(grep -n "fsync([0-9]*<$t/sy>)" "$t/strace" | tail -n 1 | cut -d: -f1)
  check '[ -n "$keyline" ] && [ -n "$syncline" ] && [ "$syncline" -gt "$keyline" ]' \
    "no fsync of the data directory after kiosk.key was created (key@$keyline sync@$syncline)"
else
  bad "strace is not installed (Debian package strace, in DEBS)"
fi

# ---- section 4: a full disk is named, and status still answers ----
full="$t/full"
mkdir -p "$full"
"$bin" import assets/demo/portfolio.json --data "$t/tofull" >/dev/null 2>&1
cat >"$t/full.sh" <<EOF
set -u
mount -t tmpfs -o size=12m tmpfs "$full" || exit 90
cp -a "$t/tofull" "$full/kept"
head -c 16m /dev/zero >"$full/filler" 2>/dev/null
"$bin" --headless --demo --data "$full/new" --start "$start" --script "$t/a.script" --shots "$t/full-shots" >"$t/full-new.out" 2>&1
echo "rc=\$?" >>"$t/full-new.out"
"$bin" status --json --data "$full/kept" >"$t/full-status.out" 2>&1
echo "rc=\$?" >>"$t/full-status.out"
"$bin" import assets/demo/portfolio.json --data "$full/imp" >"$t/full-imp.out" 2>&1
echo "rc=\$?" >>"$t/full-imp.out"
umount "$full"
EOF
if unshare -m sh "$t/full.sh" 2>"$t/unshare.err" || unshare -rm sh "$t/full.sh" 2>>"$t/unshare.err"; then
  # the kiosk comes up out of service (not attract), and its log names the full disk
  check 'grep -q "rc=1" "$t/full-new.out" && grep -q "on out-of-service" "$t/full-new.out" && grep -q "out of service (disk full): the disk holding .* is full" "$t/full-new.out"' "start on a full disk: $(cat "$t/full-new.out")"
  check '! grep -qi "disk I/O error" "$t/full-new.out"' "still says disk I/O error: $(cat "$t/full-new.out")"
  check 'grep -q "rc=0" "$t/full-status.out" && grep -q "\"disk_full\":true" "$t/full-status.out" && grep -q "\"customers\":37" "$t/full-status.out"' \
    "status on a full disk: $(cat "$t/full-status.out")"
  check 'grep -q "rc=1" "$t/full-imp.out" && grep -q "is full" "$t/full-imp.out"' "import on a full disk: $(cat "$t/full-imp.out")"
else
  bad "cannot mount a small tmpfs in a mount namespace (unshare -m / -rm): $(cat "$t/unshare.err")"
fi

# ---- section 5: the configuration is checked whole before anything touches the disk ----
long=$(printf '%0250d' 0)
printf '[printer]\nlogo = /tmp/%s\n' "${long}backend = file" >"$t/long.ini"
"$bin" --headless --config "$t/long.ini" --data "$t/c1" --start "$start" --script "$t/a.script" --shots "$t/c-shots" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "long.ini:2: line too long" "$t/out"' "over-long line: $(cat "$t/out")"
check '[ ! -e "$t/c1" ]' "an over-long line still created the data directory"
printf '[kiosk]\nid = 3\n\n[printer]\nbackend = carrier-pigeon\n' >"$t/be.ini"
"$bin" --headless --config "$t/be.ini" --data "$t/c2" --start "$start" --script "$t/a.script" --shots "$t/c-shots" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "be.ini:5: \[printer\] backend .carrier-pigeon. is not one of" "$t/out"' "unknown backend: $(cat "$t/out")"
check '[ ! -e "$t/c2" ]' "an unknown backend still created the data directory"
printf '[central]\nurl = https://127.0.0.1:9\ndevice_id = K0001\nsecret_file = %s\n' "$t/missing.secret" >"$t/sec.ini"
"$bin" --headless --config "$t/sec.ini" --data "$t/c3" --start "$start" --script "$t/a.script" --shots "$t/c-shots" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "sec.ini:4: \[central\] secret_file: .*missing.secret: cannot read the device secret" "$t/out"' "missing secret: $(cat "$t/out")"
check '[ ! -e "$t/c3" ]' "a missing secret still created the data directory"
(umask 022; head -c 32 /dev/urandom >"$t/open.secret")
printf '[central]\nurl = https://127.0.0.1:9\ndevice_id = K0001\nsecret_file = %s\n' "$t/open.secret" >"$t/sec2.ini"
"$bin" sync --config "$t/sec2.ini" --data "$t/c4" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "sec2.ini:4: .*permissions 0644 for .*open.secret.* are too open" "$t/out"' "open secret: $(cat "$t/out")"

# status answers with the settings alone (the kiosk refuses to start on these, status reports)
printf '[display]\nfont_dir = %s\n' "$t/no-fonts" >"$t/nofont.ini"
"$bin" status --json --config "$t/nofont.ini" --data "$t/p/data" >"$t/out" 2>&1
check '[ $? -eq 0 ] && grep -q "\"customers\":37" "$t/out"' "status with a missing font dir: $(cat "$t/out")"
"$bin" --headless --config "$t/nofont.ini" --data "$t/p/data" --start "$start" --script "$t/a.script" --shots "$t/c-shots" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "nofont.ini:2: \[display\] font_dir: cannot read" "$t/out"' "kiosk with a missing font dir: $(cat "$t/out")"

# ---- section 11: what a tester needs ----
printf 'press "Toque para comenzar"\ncontrols\npress "Cedula"\n' >"$t/c.script"
"$bin" --headless --demo --data "$t/h" --start "$start" --script "$t/c.script" --shots "$t/shots" >"$t/out" 2>&1
check 'grep -q "c.script:2: screen id-entry, [0-9]* controls" "$t/out"' "controls header: $(head -n 3 "$t/out")"
check 'grep -q "  control \"NIT\" at [0-9]* [0-9]* size [0-9]*x[0-9]*" "$t/out"' "controls lists the NIT chip: $(cat "$t/out")"
check 'grep -q "c.script:3: no single control labelled \"Cedula\" on this screen; closest: \"C[ÉE]" "$t/out"' "closest candidates: $(tail -n 1 "$t/out")"
printf 'press "Toque para comenzar"\npress "C"\n' >"$t/c2.script"
"$bin" --headless --demo --data "$t/h" --start "$start" --script "$t/c2.script" --shots "$t/shots" >"$t/out" 2>&1
check 'grep -q "c2.script:2: no single control labelled \"C\" on this screen: [0-9]* controls contain it" "$t/out"' "ambiguous press: $(tail -n 1 "$t/out")"
"$bin" --help >"$t/help" 2>&1
for f in --mode --config --data --assets --demo --size --fullscreen --headless --script --shots --start --json \
  "import FILE" "status" "verify-coupon" "sync"; do
  check 'grep -q -- "$f" "$t/help"' "--help does not list $f"
done

# recaudo sync: against nothing, then against the simulator
sh tools/gen-cert.sh "$t/tls" >/dev/null || bad "gen-cert failed"
(umask 077; head -c 32 /dev/urandom >"$t/tls/secret"; head -c 32 /dev/urandom >"$t/tls/qrkey")
pin=$(cat "$t/tls/pin.txt")
mkini() { # $1 = port
  printf '[security]\nqr_key_file = %s\n[central]\nurl = https://127.0.0.1:%s\ndevice_id = K0001\nsecret_file = %s\nca_file = %s\npinned_key = %s\n' \
    "$t/tls/qrkey" "$1" "$t/tls/secret" "$t/tls/ca.pem" "$pin" >"$t/sync.ini"
}
# a port nothing listens on (the simulator's later port is another one)
mkini 9
cat >"$t/j.script" <<'S'
press "Toque para comenzar"
type 1020304050
key Enter
press "VID-4471203-1126"
press "Generar cupón"
expect-screen coupon
S
"$bin" sync --config "$t/sync.ini" --data "$t/sd" >"$t/out" 2>&1
check '[ $? -ne 0 ] && grep -q "no store in" "$t/out" && [ ! -e "$t/sd" ]' "sync with no store: $(cat "$t/out")"
"$bin" --headless --demo --config "$t/sync.ini" --data "$t/sd" --start "$start" --script "$t/j.script" --shots "$t/shots" >"$t/out" 2>&1
check '[ $? -eq 0 ]' "journey with an unreachable central: $(cat "$t/out")"
cat "$t/out" >>"$t/logs"
"$bin" sync --config "$t/sync.ini" --data "$t/sd" >"$t/out" 2>&1
rc=$?
cat "$t/out" >>"$t/logs"
check '[ $rc -ne 0 ] && grep -q "could not be reached" "$t/out" && grep -q "1 events to send" "$t/out"' "sync with no server: $(cat "$t/out")"
"$bin" status --json --config "$t/sync.ini" --data "$t/sd" >"$t/out" 2>&1
check 'grep -q "\"online\":false,\"last_error\":\"network\"" "$t/out"' "status after a failed sync: $(cat "$t/out")"
check 'grep -q "\"store_bytes\":[1-9][0-9]*,\"free_bytes\":[1-9][0-9]*,\"disk_full\":false" "$t/out"' "status sizes: $(cat "$t/out")"
"$bin" status --json --data "$t/sd" >"$t/out" 2>&1
check 'grep -q "\"central\":false,\"online\":null,\"last_error\":null" "$t/out"' "status without a central API: $(cat "$t/out")"
rm -f "$t/port"
"$build/central-sim" --listen 127.0.0.1:0 --tls "$t/tls/server.pem" "$t/tls/server.key" --db "$t/central.db" \
  --seed assets/demo/portfolio.json --device "K0001:$t/tls/secret:$t/tls/qrkey:1" --port-file "$t/port" \
  2>"$t/sim.log" &
simpid=$!
trap 'kill $simpid 2>/dev/null; wait $simpid 2>/dev/null' EXIT
i=0
while [ ! -s "$t/port" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
mkini "$(cat "$t/port")"
"$bin" sync --config "$t/sync.ini" --data "$t/sd" >"$t/out" 2>&1
check '[ $? -eq 0 ] && grep -q "sync: online · 0 events to send" "$t/out"' "sync against the simulator: $(cat "$t/out")"
cat "$t/out" >>"$t/logs"
"$bin" status --json --config "$t/sync.ini" --data "$t/sd" >"$t/out" 2>&1
check 'grep -q "\"queue_depth\":0" "$t/out" && grep -q "\"online\":true,\"last_error\":null" "$t/out"' "status after sync: $(cat "$t/out")"
# one drainer per store: while another process holds the lock, `recaudo sync` is refused and
# the kiosk still starts (its sync worker waits for the lock instead)
exec 9>"$t/sd/sync.lock"
if command -v flock >/dev/null 2>&1 && flock -n 9; then
  "$bin" sync --config "$t/sync.ini" --data "$t/sd" >"$t/out" 2>&1
  check '[ $? -ne 0 ] && grep -q "is syncing" "$t/out"' "two drainers: $(cat "$t/out")"
  "$bin" --headless --config "$t/sync.ini" --data "$t/sd" --start "$start" --script "$t/a.script" --shots "$t/shots" >"$t/out" 2>&1
  check '[ $? -eq 0 ]' "the kiosk did not start while the sync lock was held: $(cat "$t/out")"
  cat "$t/out" >>"$t/logs"
else
  bad "flock (util-linux) is not available"
fi
exec 9>&-
check '[ -s "$t/logs" ] && [ -s "$t/sim.log" ]' "no logs to check"
check '! grep -q "1020304050\|Núñez\|María" "$t/sim.log" "$t/logs"' "personal data in a log"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
