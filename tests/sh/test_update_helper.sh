#!/bin/sh
# image/update-helper, the software update helper (docs/update-helper.md), driving the real
# image/update with stubs on PATH (rauc, recaudo, systemctl) that log their arguments:
#   - list: every .raucb RAUC accepts with its version against the running one (newer, same,
#     older; dpkg's order: 1.0.10 is newer than 1.0.9), "bad NAME" for one RAUC refuses, then
#     "ok running V"; names with other characters, symbolic links, folders and other files are
#     never listed; no running version: "ok running -" and every bundle newer;
#   - install: "state version V", "state installing", "ok rebooting V", then (only then) one
#     reboot; update-wait given the request's wait; an older bundle "error refused" and nothing
#     installed, unless "force"; money still waiting: "state waiting", "error money", nothing
#     installed; rauc install failing: "error install", no reboot; a bundle RAUC refuses or no
#     such file: "error bundle";
#   - the reboot comes after the answer "ok rebooting" (the kiosk has it); a refused reboot is
#     tried three times, then logged as an error; the wait itself failing: "error wait";
#   - no running version: every bundle "unknown", installed only with force;
#   - a kiosk that hangs up mid-install does not stop it (SIGPIPE ignored);
#   - another install holding the lock: "error busy" at once;
#   - requests outside the protocol (a path, a wait over an hour or not a number, an unknown
#     word, extra words, nothing): "error request", exit 1, nothing run.
# Usage: test_update_helper.sh TMPDIR
set -u
t=$1
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else eval "bad \"$2\""; fi; }

stubs=$t/stubs calls=$t/calls dir=$t/stick
mkdir -p "$stubs" "$dir"
stub() { # NAME BODY
	printf '#!/bin/sh\necho "%s $*" >>"%s"\n%s\n' "$1" "$calls" "$2" >"$stubs/$1"
	chmod 755 "$stubs/$1"
}
# rauc info BUNDLE: the version in BUNDLE's own text ("version V"), refused when it says "bad"
stub rauc 'case $1 in
info) f=$3; v=$(sed -n "s/^version //p" "$f"); [ -n "$v" ] || { echo "signature verification failed" >&2; exit 1; }
      echo "RAUC_MF_COMPATIBLE='"'"'recaudo-kiosk'"'"'"; echo "RAUC_MF_VERSION='"'"'$v'"'"'" ;;
install) [ -n "${FAKE_INSTALL_SLEEP:-}" ] && /bin/sleep "$FAKE_INSTALL_SLEEP"; exit "${FAKE_INSTALL_RC:-0}" ;;
esac
exit 0'
stub recaudo 'case $1 in
update-wait) [ "${FAKE_WAIT_RC:-0}" = 3 ] && echo "update-wait: holding the update to $3: 2 money events not yet acknowledged by the server; waiting up to 60 s" &&
  echo "update-wait: the update to $3 is not installed: 2 money events still not acknowledged by the server after 60 s"
  exit "${FAKE_WAIT_RC:-0}" ;;
esac
exit 1'
# systemctl reboot: logs the helper's last answer line at that moment (the kiosk must have it
# before the machine goes down), and fails FAKE_REBOOT_FAILS times
stub systemctl '[ -n "${FAKE_OUT:-}" ] && echo "answered: $(tail -n 1 "$FAKE_OUT")" >>"'"$calls"'"
n=$(cat "'"$t"'/reboots" 2>/dev/null || echo 0); echo $((n + 1)) >"'"$t"'/reboots"
[ "$n" -ge "${FAKE_REBOOT_FAILS:-0}" ]'

bundle() { printf 'version %s\n' "$2" >"$dir/$1"; }
bundle new.raucb 1.0.10
bundle same.raucb 1.0.9
bundle old.raucb 0.9.0
printf 'not a bundle\n' >"$dir/bad.raucb"
bundle 'with space.raucb' 2.0.0
bundle 'acento-ñ.raucb' 2.0.0
bundle notes.txt 2.0.0
ln -s "$dir/new.raucb" "$dir/link.raucb"
mkdir "$dir/folder.raucb"
echo 1.0.9 >"$t/version"

# helper NAME REQUEST: the helper's answer in $t/NAME.out, its exit in $t/NAME.rc, the stubs'
# calls (bar rauc info) in $t/NAME.calls, its journal lines in $t/NAME.err
helper() {
	n=$1
	: >"$calls"
	rm -f "$t/reboots"
	printf '%s\n' "$2" | FAKE_OUT=$t/$n.out PATH="$stubs:$PATH" RECAUDO_UPDATE_DIR=$dir RECAUDO_UPDATE_CMD=image/update \
		RECAUDO_UPDATE_LOCK=$t/lock RECAUDO_VERSION_FILE=$t/version RECAUDO_UPDATE_REBOOT_DELAY=0 \
		sh image/update-helper >"$t/$n.out" 2>"$t/$n.err"
	echo $? >"$t/$n.rc"
	grep -v "^rauc info" "$calls" >"$t/$n.calls"
}
rcof() { cat "$t/$1.rc"; }
want() { printf '%s\n' "$@" >"$t/want"; }

# ---- list ----
helper list list
want "bad bad.raucb" "bundle new.raucb 1.0.10 newer" "bundle old.raucb 0.9.0 older" "bundle same.raucb 1.0.9 same" \
	"ok running 1.0.9"
check '[ "$(rcof list)" = 0 ] && cmp -s "$t/want" "$t/list.out"' 'list: rc $(rcof list), got: $(cat "$t/list.out")'
check '[ ! -s "$t/list.calls" ]' 'list ran something besides rauc info: $(cat "$t/list.calls")'
mv "$t/version" "$t/version.keep"
helper nover list
check 'grep -qx "ok running -" "$t/nover.out" && [ "$(grep -c " unknown$" "$t/nover.out")" = 3 ]' \
	'no running version: $(cat "$t/nover.out")'
# update installs only forced then: the listing's "unknown" is what the screen forces
helper nover2 "install new.raucb 60"
check '[ "$(cat "$t/nover2.out")" = "error refused" ]' 'no running version, not forced: $(cat "$t/nover2.out")'
helper nover3 "install new.raucb 60 force"
check '[ "$(tail -n 1 "$t/nover3.out")" = "ok rebooting 1.0.10" ]' 'no running version, forced: $(cat "$t/nover3.out")'
mv "$t/version.keep" "$t/version"
# a version with an underscore (as the store's hold takes it)
bundle rc.raucb 1.1.0_rc1
helper underscore list
check 'grep -qx "bundle rc.raucb 1.1.0_rc1 newer" "$t/underscore.out"' 'a version with _: $(cat "$t/underscore.out")'
rm "$dir/rc.raucb"

# ---- install ----
helper install "install new.raucb 60"
want "state version 1.0.10" "state installing" "ok rebooting 1.0.10"
check '[ "$(rcof install)" = 0 ] && cmp -s "$t/want" "$t/install.out"' 'install: rc $(rcof install), got: $(cat "$t/install.out")'
want "recaudo update-wait --version 1.0.10 --timeout-s 60" "rauc install $dir/new.raucb" "systemctl reboot" \
	"answered: ok rebooting 1.0.10"
check 'cmp -s "$t/want" "$t/install.calls"' 'install: the wait, the install, one reboot after the answer; got: $(cat "$t/install.calls")'
FAKE_REBOOT_FAILS=2 helper reboot2 "install new.raucb 60"
check '[ "$(grep -c "^systemctl reboot" "$t/reboot2.calls")" = 3 ] && [ "$(tail -n 1 "$t/reboot2.out")" = "ok rebooting 1.0.10" ]' \
	'a reboot refused twice: tried $(grep -c "^systemctl reboot" "$t/reboot2.calls") times'
FAKE_REBOOT_FAILS=9 helper reboot9 "install new.raucb 60"
check '[ "$(grep -c "^systemctl reboot" "$t/reboot9.calls")" = 3 ] && grep -q "error: the reboot was refused 3 times" "$t/reboot9.err"' \
	'a reboot always refused: $(cat "$t/reboot9.err")'

helper older "install old.raucb 60"
check '[ "$(cat "$t/older.out")" = "error refused" ] && [ ! -s "$t/older.calls" ]' \
	'an older bundle: $(cat "$t/older.out"), calls: $(cat "$t/older.calls")'
helper same "install same.raucb 60"
check '[ "$(cat "$t/same.out")" = "error refused" ] && [ ! -s "$t/same.calls" ]' 'the same version: $(cat "$t/same.out")'
helper forced "install old.raucb 0 force"
want "state version 0.9.0" "state installing" "ok rebooting 0.9.0"
check 'cmp -s "$t/want" "$t/forced.out" && grep -qx "rauc install $dir/old.raucb" "$t/forced.calls" && grep -qx "recaudo update-wait --version 0.9.0 --timeout-s 0" "$t/forced.calls"' \
	'forced: $(cat "$t/forced.out"), calls: $(cat "$t/forced.calls")'

FAKE_WAIT_RC=3 helper money "install new.raucb 60"
want "state version 1.0.10" "state waiting" "error money"
check 'cmp -s "$t/want" "$t/money.out" && ! grep -q "^rauc install\|^systemctl reboot" "$t/money.calls"' \
	'money waiting: $(cat "$t/money.out"), calls: $(cat "$t/money.calls")'
FAKE_WAIT_RC=1 helper waitfail "install new.raucb 60"
want "state version 1.0.10" "error wait"
check 'cmp -s "$t/want" "$t/waitfail.out" && ! grep -q "^rauc install" "$t/waitfail.calls"' \
	'the wait failing: $(cat "$t/waitfail.out"), calls: $(cat "$t/waitfail.calls")'
FAKE_INSTALL_RC=1 helper instfail "install new.raucb 60"
check '[ "$(tail -n 1 "$t/instfail.out")" = "error install" ] && ! grep -q "^systemctl reboot" "$t/instfail.calls"' \
	'install failing: $(cat "$t/instfail.out"), calls: $(cat "$t/instfail.calls")'
helper badb "install bad.raucb 60"
check '[ "$(cat "$t/badb.out")" = "error bundle" ] && [ ! -s "$t/badb.calls" ]' 'a bundle RAUC refuses: $(cat "$t/badb.out")'
helper gone "install gone.raucb 60"
check '[ "$(cat "$t/gone.out")" = "error bundle" ] && [ ! -s "$t/gone.calls" ]' 'no such bundle: $(cat "$t/gone.out")'
helper link "install link.raucb 60"
check '[ "$(cat "$t/link.out")" = "error bundle" ] && [ ! -s "$t/link.calls" ]' 'a symbolic link: $(cat "$t/link.out")'

# the kiosk hangs up at once: the install still happens, and the reboot after it
: >"$calls"
printf 'install new.raucb 60\n' | (PATH="$stubs:$PATH" RECAUDO_UPDATE_DIR=$dir RECAUDO_UPDATE_CMD=image/update \
	RECAUDO_UPDATE_LOCK=$t/lock RECAUDO_VERSION_FILE=$t/version RECAUDO_UPDATE_REBOOT_DELAY=0 \
	FAKE_INSTALL_SLEEP=1 sh image/update-helper 2>"$t/hangup.err"; echo $? >"$t/hangup.rc") | head -c 0
check 'grep -qx "rauc install $dir/new.raucb" "$calls" && grep -qx "systemctl reboot" "$calls"' \
	'the install stopped with the kiosk gone: $(cat "$calls")'

# another install holds the lock
(flock 9; sleep 3) 9>"$t/lock" &
holder=$!
sleep 1
helper busy "install new.raucb 60"
check '[ "$(cat "$t/busy.out")" = "error busy" ] && [ ! -s "$t/busy.calls" ]' 'busy: $(cat "$t/busy.out"), calls: $(cat "$t/busy.calls")'
wait "$holder"

# ---- requests outside the protocol ----
i=0
while IFS= read -r req; do
	i=$((i + 1))
	helper "req$i" "$req"
	check '[ "$(cat "$t/req$i.out")" = "error request" ] && [ "$(rcof "req$i")" = 1 ] && [ ! -s "$t/req$i.calls" ]' \
		'request "$req": rc $(rcof "req$i"), $(cat "$t/req$i.out"), calls: $(cat "$t/req$i.calls")'
done <<'EOR'
install ../stick/new.raucb 60
install /etc/passwd 1
install new.raucb 3601
install new.raucb 60s
install new.raucb 60 please
install new.raucb
install notes.txt 60
install with space.raucb 60
list now
reboot

install * 60
EOR
check '! grep -q "new.raucb\|TECNICO" "$t/install.err"' 'the journal names the bundle: $(cat "$t/install.err")'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
