#!/bin/sh
# The Debian package and its scripts (image/README.md, issue 13):
#   - `make deb` builds build/recaudo_<VERSION>_<ARCH>.deb (VERSION from app/config.h); a second
#     `make deb` with nothing changed rebuilds nothing;
#   - its control fields; Depends covers every library the binary needs (each NEEDED soname's
#     Debian package is named), each name there and in Recommends is known to apt-cache, and
#     `apt-get --simulate install ./the.deb` would install it;
#   - every file at its path with its mode, owned by root:root, and nothing else; the files are
#     the repository's, the binary stripped; /etc/recaudo/recaudo.ini is the only conffile;
#   - `sh -n` on the maintainer scripts, image/health-gate, image/update and image/media; the
#     USB stick's mount point /media/recaudo 0755 in the package;
#   - the packaged assets are enough: the packaged binary runs the demo from them;
#   - postinst with stubs on PATH: sysusers and tmpfiles on our files, the units enabled in a
#     chroot and not in a container without systemd;
#   - image/update with stubs (rauc, recaudo, systemctl): no downgrade or reinstall unless
#     --force, the wait for money events before anything is installed (exit 3 installs
#     nothing), then rauc install and the reboot;
#   - image/health-gate with stubs: active + healthy -> mark-good; unhealthy, never active or
#     restarted 5 times without becoming ready (a crash loop) ->
#     mark-bad + reboot; not booted by RAUC, or no rauc -> only logs.
# Usage: test_deb.sh TMPDIR   (RECAUDO_BIN from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
build=$(dirname "$bin")
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# check CONDITION MESSAGE: MESSAGE is expanded only when CONDITION fails
check() { if eval "$1"; then ok; else eval "bad \"$2\""; fi; }

version=$(sed -n 's/^#define RECAUDO_VERSION "\(.*\)"$/\1/p' app/config.h)
arch=$(dpkg --print-architecture)
deb=$build/recaudo_${version}_$arch.deb

# ---- make deb, and again with nothing changed ----
t0=$(date +%s%N)
make --no-print-directory deb BUILD="$build" >"$t/make1" 2>&1
rc=$?
t1=$(date +%s%N)
check '[ $rc -eq 0 ] && [ -s "$deb" ]' 'make deb: $(tail -n 5 "$t/make1")'
echo "make deb: $(((t1 - t0) / 1000000)) ms, $(du -k "$deb" 2>/dev/null | cut -f1) KB"
m0=$(stat -c %Y.%s "$deb" 2>/dev/null)
make --no-print-directory deb BUILD="$build" >"$t/make2" 2>&1
check '[ $? -eq 0 ] && [ "$(stat -c %Y.%s "$deb")" = "$m0" ] && ! grep -q "^deb:\|strip\|dpkg" "$t/make2"' \
	'a second make deb rebuilt: $(cat "$t/make2")'

# ---- control fields ----
field() { dpkg-deb -f "$deb" "$1" 2>/dev/null; }
check '[ "$(field Package)" = recaudo ] && [ "$(field Version)" = "$version" ] && [ "$(field Architecture)" = "$arch" ]' \
	'control: $(dpkg-deb -f "$deb" Package Version Architecture)'
check '[ -n "$(field Maintainer)" ] && [ -n "$(field Description)" ] && [ -n "$(field Installed-Size)" ]' \
	'Maintainer, Description or Installed-Size missing: $(dpkg-deb -I "$deb")'
check '[ "$(field Recommends)" = rauc ]' 'Recommends: $(field Recommends)'
deps=$(field Depends)
for p in libc6 libsdl2-2.0-0 libsqlite3-0 libssl3 libcurl4 fonts-dejavu-core libegl1 libgles2 systemd; do
	check 'printf "%s\n" "$deps" | tr "," "\n" | grep -q "^ *$p\( \|$\)"' '$p not in Depends: $deps'
done
# every dependency's name known to apt, versions as dpkg-shlibdeps writes them
printf '%s, %s\n' "$deps" "$(field Recommends)" | tr ',|' '\n\n' | sed 's/(.*)//; s/ //g' | sed '/^$/d' >"$t/names"
# (one apt-cache policy for all: a package apt has a candidate for has a "NAME:" block with
# a Candidate line that is not "(none)"; apt-cache show one by one takes seconds each)
apt-cache policy $(cat "$t/names") >"$t/policy" 2>&1
while read -r n; do
	cand=$(awk -v n="$n:" '$0 == n { f = 1; next } /^[^ ]/ { f = 0 } f && $1 == "Candidate:" { print $2 }' "$t/policy")
	check '[ -n "$cand" ] && [ "$cand" != "(none)" ]' '$n (from Depends/Recommends) is not a package apt knows'
done <"$t/names"
check 'grep -q "(>= " "$t/names" || printf "%s" "$deps" | grep -q "libc6 (>= 2\.[0-9]*)"' 'libc6 has no version in Depends: $deps'
# every NEEDED library of the binary is provided by a package in Depends
objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }' >"$t/needed"
check '[ -s "$t/needed" ]' 'objdump found no NEEDED libraries in $bin'
while read -r so; do
	path=$(ldconfig -p | awk -v so="$so" '$1 == so && /x86-64|64bit|x32/ { print $NF; exit }')
	[ -n "$path" ] || path=$(ldconfig -p | awk -v so="$so" '$1 == so { print $NF; exit }')
	# dpkg knows a library under the path its package shipped: /usr/lib or /lib (usrmerge)
	real=$(readlink -f "$path")
	pkg=$(dpkg -S "$path" "$real" "/usr${real#/usr}" "${real#/usr}" 2>/dev/null | head -n 1 | cut -d: -f1)
	check '[ -n "$pkg" ] && grep -qx "$pkg" "$t/names"' '$so ($path, package ${pkg:-unknown}) is not covered by Depends: $deps'
done <"$t/needed"
# apt would install it (resolving every Depends on this Debian 12)
apt-get --simulate install "$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")" >"$t/apt" 2>&1
check '[ $? -eq 0 ] && grep -q "^Inst recaudo \|^Conf recaudo \|recaudo is already the newest" "$t/apt"' \
	'apt-get --simulate install: $(tail -n 8 "$t/apt")'

# ---- the files: mode, owner, nothing else ----
dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' | sed 's| \./| /|; s|/$||' >"$t/list"
expect() { # MODE PATH
	em=$1 ep=$2
	check 'grep -qxF -e "$em root/root $ep" "$t/list"' '$ep: want $em root/root, got: $(grep " $ep\$" "$t/list" || echo missing)'
}
expect -rwxr-xr-x /usr/bin/recaudo
expect -rw-r--r-- /usr/share/recaudo/logo.png
expect -rw-r--r-- /usr/share/recaudo/demo/portfolio.json
expect -rw-r--r-- /etc/recaudo/recaudo.ini
expect -rw-r--r-- /usr/lib/systemd/system/recaudo.service
expect -rw-r--r-- /usr/lib/systemd/system/recaudo-health.service
expect -rw-r--r-- /usr/lib/sysusers.d/recaudo.conf
expect -rw-r--r-- /usr/lib/tmpfiles.d/recaudo.conf
expect -rwxr-xr-x /usr/lib/recaudo/health-gate
expect -rwxr-xr-x /usr/lib/recaudo/update
expect -rwxr-xr-x /usr/lib/recaudo/media
expect -rw-r--r-- /usr/lib/systemd/system/recaudo-media.socket
expect -rw-r--r-- /usr/lib/systemd/system/recaudo-media@.service
expect -rwxr-xr-x /usr/lib/recaudo/update-helper
expect -rw-r--r-- /usr/lib/systemd/system/recaudo-update.socket
expect -rw-r--r-- /usr/lib/systemd/system/recaudo-update@.service
check 'grep -qxF "drwxr-xr-x root/root /media/recaudo" "$t/list"' 'the USB stick'"'"'s mount point /media/recaudo: $(grep " /media/recaudo\$" "$t/list" || echo missing)'
expect -rw-r--r-- /usr/share/doc/recaudo/copyright
expect -rw-r--r-- /usr/share/doc/recaudo/README.md
check '[ "$(grep -c "^-" "$t/list")" -eq 18 ]' 'files in the package besides the expected 18: $(grep "^-" "$t/list")'
check '! grep -v "^[-d]r[-w][-x]r-[-x]r-[-x] root/root " "$t/list" | grep -q .' \
	'entries not root:root or with odd modes: $(grep -v "^[-d]r[-w][-x]r-[-x]r-[-x] root/root " "$t/list")'
check '! grep -q "^d" "$t/list" || ! grep "^d" "$t/list" | grep -qv "^drwxr-xr-x "' 'directories not 0755: $(grep "^d" "$t/list")'

# ---- contents: the repository's files, the binary stripped ----
x=$t/x
dpkg-deb -x "$deb" "$x"
dpkg-deb -e "$deb" "$x/DEBIAN"
for pair in image/recaudo.ini:/etc/recaudo/recaudo.ini \
	image/systemd/recaudo.service:/usr/lib/systemd/system/recaudo.service \
	image/systemd/recaudo-health.service:/usr/lib/systemd/system/recaudo-health.service \
	image/sysusers.d/recaudo.conf:/usr/lib/sysusers.d/recaudo.conf \
	image/tmpfiles.d/recaudo.conf:/usr/lib/tmpfiles.d/recaudo.conf \
	image/health-gate:/usr/lib/recaudo/health-gate image/update:/usr/lib/recaudo/update \
	image/media:/usr/lib/recaudo/media image/systemd/recaudo-media.socket:/usr/lib/systemd/system/recaudo-media.socket \
	image/systemd/recaudo-media@.service:/usr/lib/systemd/system/recaudo-media@.service \
	image/update-helper:/usr/lib/recaudo/update-helper \
	image/systemd/recaudo-update.socket:/usr/lib/systemd/system/recaudo-update.socket \
	image/systemd/recaudo-update@.service:/usr/lib/systemd/system/recaudo-update@.service \
	assets/demo/portfolio.json:/usr/share/recaudo/demo/portfolio.json assets/logo.png:/usr/share/recaudo/logo.png; do
	check 'cmp -s "${pair%%:*}" "$x${pair#*:}"' '${pair#*:} differs from ${pair%%:*}'
done
check '! readelf -S "$x/usr/bin/recaudo" | grep -q "\.symtab\|\.debug_info"' "the packaged binary is not stripped"
check '[ "$(cat "$x/DEBIAN/conffiles")" = /etc/recaudo/recaudo.ini ]' 'conffiles: $(cat "$x/DEBIAN/conffiles")'
for s in postinst prerm postrm; do
	check '[ "$(stat -c %a "$x/DEBIAN/$s")" = 755 ] && sh -n "$x/DEBIAN/$s"' 'DEBIAN/$s: mode $(stat -c %a "$x/DEBIAN/$s") or syntax: $(sh -n "$x/DEBIAN/$s" 2>&1)'
done
for s in image/health-gate image/update image/update-helper image/media image/deb/mkdeb.sh; do
	check 'sh -n "$s"' '$s: $(sh -n "$s" 2>&1)'
done

# ---- the packaged binary runs the demo from the packaged assets ----
printf 'expect-screen attract\n' >"$t/a.script"
RECAUDO_INSTALLED=0 "$x/usr/bin/recaudo" --headless --demo --assets "$x/usr/share/recaudo" --data "$t/demo" \
	--start "${RECAUDO_START:-1795359600}" --script "$t/a.script" --shots "$t/shots" >"$t/demo.out" 2>&1
check '[ $? -eq 0 ] && "$x/usr/bin/recaudo" status --json --data "$t/demo" 2>&1 | grep -q "\"customers\":37"' \
	'the demo on the packaged assets: $(tail -n 5 "$t/demo.out")'
# the sample INI loads, and so does every key of it uncommented (the defaults it shows are valid)
check '"$bin" status --config image/recaudo.ini --data "$t/ini" >"$t/ini.out" 2>&1' 'the sample INI: $(cat "$t/ini.out")'
sed 's/^;\([a-z_]* =\)/\1/' image/recaudo.ini >"$t/all.ini"
check '[ "$(grep -c "^[a-z_]* =" "$t/all.ini")" -ge 50 ] && "$bin" status --config "$t/all.ini" --data "$t/ini" >"$t/ini.out" 2>&1' \
	'the sample INI with every key uncommented: $(cat "$t/ini.out")'

# ---- stubs: each logs "NAME ARGS" to $calls and answers from FAKE_* variables ----
stubs=$t/stubs
calls=$t/calls
mkdir -p "$stubs"
stub() { # NAME BODY
	printf '#!/bin/sh\necho "%s $*" >>"%s"\n%s\n' "$1" "$calls" "$2" >"$stubs/$1"
	chmod 755 "$stubs/$1"
}
stub rauc 'case $1 in
info) [ -n "${FAKE_RAUC_INFO_FAIL:-}" ] && { echo "signature verification failed" >&2; exit 1; }
      echo "RAUC_MF_COMPATIBLE='"'"'recaudo-kiosk'"'"'"; echo "RAUC_MF_VERSION='"'"'$FAKE_BUNDLE_VERSION'"'"'" ;;
install) exit "${FAKE_INSTALL_RC:-0}" ;;
esac
exit 0'
stub recaudo 'case $1 in
update-wait) [ "${FAKE_WAIT_RC:-0}" = 3 ] && echo "3 money events still waiting"; exit "${FAKE_WAIT_RC:-0}" ;;
health) echo "ok store: quick_check"; exit "${FAKE_HEALTH_RC:-0}" ;;
esac
exit 1'
stub systemctl 'case $1 in is-active) exit "${FAKE_ACTIVE_RC:-0}" ;; show) echo "${FAKE_RESTARTS:-0}" ;; esac
exit 0'
stub sleep 'exit 0'
stub id 'case $* in "-u") echo 0 ;; "-u recaudo") exit "${FAKE_ID_RC:-0}" ;; esac'
stub setpriv 'while [ "$1" != -- ]; do shift; done; shift; exec "$@"'
# the same without rauc (health-gate's "rauc not installed"): the stubs and cat only
mkdir -p "$t/norauc"
for f in "$stubs"/*; do [ "$(basename "$f")" = rauc ] || cp "$f" "$t/norauc/"; done
ln -s "$(command -v cat)" "$t/norauc/cat"

# ---- image/update ----
b=$t/bundle.raucb
: >"$b"
echo 2.0.9 >"$t/version"
# upd NAME BUNDLE_VERSION ARGS...: runs image/update with the stubs; its status in $t/NAME.rc
upd() {
	n=$1 v=$2
	shift 2
	: >"$calls"
	PATH="$stubs:$PATH" FAKE_BUNDLE_VERSION=$v RECAUDO_VERSION_FILE=$t/version sh image/update "$@" >"$t/$n.out" 2>&1
	echo $? >"$t/$n.rc"
	grep -v "^rauc info\|^systemctl is-active" "$calls" >"$t/$n.calls"
}
rcof() { cat "$t/$1.rc"; }
upd same 2.0.9 "$b"
check '[ "$(rcof same)" = 2 ] && grep -q "not newer than the running 2.0.9: refused" "$t/same.out" && [ ! -s "$t/same.calls" ]' \
	'the running version again: rc $(rcof same), $(cat "$t/same.out"), calls: $(cat "$t/same.calls")'
upd older 2.0.1 "$b"
check '[ "$(rcof older)" = 2 ] && grep -q "no downgrade" "$t/older.out" && [ ! -s "$t/older.calls" ]' \
	'a downgrade: rc $(rcof older), $(cat "$t/older.out"), calls: $(cat "$t/older.calls")'
upd forced 2.0.1 "$b" --force
printf 'recaudo update-wait --version 2.0.1\nrauc install %s\nsystemctl reboot\n' "$b" >"$t/want"
check '[ "$(rcof forced)" = 0 ] && cmp -s "$t/want" "$t/forced.calls" && grep -q "because of --force" "$t/forced.out"' \
	'--force: rc $(rcof forced), $(cat "$t/forced.out"), calls: $(cat "$t/forced.calls")'
# 2.0.10 is newer than 2.0.9 for dpkg (not for a string comparison)
upd newer 2.0.10 "$b"
printf 'recaudo update-wait --version 2.0.10\nrauc install %s\nsystemctl reboot\n' "$b" >"$t/want"
check '[ "$(rcof newer)" = 0 ] && cmp -s "$t/want" "$t/newer.calls"' \
	'a newer bundle (wait, install, reboot, in order): rc $(rcof newer), $(cat "$t/newer.out"), calls: $(cat "$t/newer.calls")'
upd timeout 2.0.10 "$b" --timeout-s 60
check 'grep -qx "recaudo update-wait --version 2.0.10 --timeout-s 60" "$t/timeout.calls"' \
	'--timeout-s not passed on: $(cat "$t/timeout.calls")'
# update-helper installs this way: it reboots itself once it has told the kiosk
upd noreboot 2.0.10 "$b" --no-reboot
printf 'recaudo update-wait --version 2.0.10\nrauc install %s\n' "$b" >"$t/want"
check '[ "$(rcof noreboot)" = 0 ] && cmp -s "$t/want" "$t/noreboot.calls" && grep -q "boots at the next restart" "$t/noreboot.out"' \
	'--no-reboot: rc $(rcof noreboot), $(cat "$t/noreboot.out"), calls: $(cat "$t/noreboot.calls")'
FAKE_WAIT_RC=3 upd waiting 2.0.10 "$b"
check '[ "$(rcof waiting)" = 3 ] && grep -q "money events are still waiting" "$t/waiting.out" && ! grep -q "^rauc install\|^systemctl reboot" "$t/waiting.calls"' \
	'a wait that timed out: rc $(rcof waiting), $(cat "$t/waiting.out"), calls: $(cat "$t/waiting.calls")'
FAKE_WAIT_RC=3 upd waitforce 2.0.1 "$b" --force
check '[ "$(rcof waitforce)" = 3 ] && ! grep -q "^rauc install" "$t/waitforce.calls"' \
	'--force skipped the wait for money events: rc $(rcof waitforce), calls: $(cat "$t/waitforce.calls")'
FAKE_WAIT_RC=1 upd waiterr 2.0.10 "$b"
check '[ "$(rcof waiterr)" = 1 ] && ! grep -q "^rauc install\|^systemctl reboot" "$t/waiterr.calls"' \
	'update-wait failing: rc $(rcof waiterr), calls: $(cat "$t/waiterr.calls")'
FAKE_INSTALL_RC=1 upd instfail 2.0.10 "$b"
check '[ "$(rcof instfail)" = 1 ] && ! grep -q "^systemctl reboot" "$t/instfail.calls" && grep -q "rauc install failed" "$t/instfail.out"' \
	'rauc install failing: rc $(rcof instfail), $(cat "$t/instfail.out"), calls: $(cat "$t/instfail.calls")'
FAKE_RAUC_INFO_FAIL=1 upd badsig 2.0.10 "$b"
check '[ "$(rcof badsig)" = 1 ] && grep -q "signature verification failed" "$t/badsig.out" && [ ! -s "$t/badsig.calls" ]' \
	'a bundle rauc refuses: rc $(rcof badsig), $(cat "$t/badsig.out"), calls: $(cat "$t/badsig.calls")'
upd nofile 2.0.10 "$t/none.raucb"
check '[ "$(rcof nofile)" = 1 ] && grep -q "cannot read the bundle" "$t/nofile.out" && [ ! -s "$t/nofile.calls" ]' \
	'a missing bundle: rc $(rcof nofile), $(cat "$t/nofile.out")'
upd usage 2.0.10
check '[ "$(rcof usage)" = 1 ] && grep -q "^usage: update BUNDLE" "$t/usage.out"' 'no arguments: rc $(rcof usage), $(cat "$t/usage.out")'
rm "$t/version"
upd nover 2.0.10 "$b"
check '[ "$(rcof nover)" = 2 ] && grep -q "cannot read the running version" "$t/nover.out" && [ ! -s "$t/nover.calls" ]' \
	'no running version: rc $(rcof nover), $(cat "$t/nover.out"), calls: $(cat "$t/nover.calls")'

# ---- image/health-gate ----
echo "BOOT_IMAGE=/vmlinuz root=/dev/sda2 ro quiet rauc.slot=B" >"$t/cmdline-rauc"
echo "BOOT_IMAGE=/vmlinuz root=/dev/sda2 ro quiet" >"$t/cmdline-plain"
# gate NAME CMDLINE_FILE [PATH_DIR]: runs image/health-gate; status in $t/NAME.rc
gate() {
	: >"$calls"
	PATH="${3:-$stubs}:$PATH" RECAUDO_CMDLINE=$2 RECAUDO_HEALTH_WAIT_S=3 sh image/health-gate >"$t/$1.out" 2>&1
	echo $? >"$t/$1.rc"
	grep -v "^id \|^sleep" "$calls" >"$t/$1.calls"
}
gate good "$t/cmdline-rauc"
printf 'systemctl is-active --quiet recaudo.service\nsetpriv --reuid=recaudo --regid=recaudo --init-groups -- recaudo health\nrecaudo health\nrauc status mark-good\n' >"$t/want"
check '[ "$(rcof good)" = 0 ] && cmp -s "$t/want" "$t/good.calls" && grep -q "slot B marked good" "$t/good.out"' \
	'active and healthy: rc $(rcof good), $(cat "$t/good.out"), calls: $(cat "$t/good.calls")'
FAKE_HEALTH_RC=1 gate sick "$t/cmdline-rauc"
check '[ "$(rcof sick)" = 1 ] && grep -qx "rauc status mark-bad" "$t/sick.calls" && grep -qx "systemctl reboot" "$t/sick.calls" && ! grep -q "mark-good" "$t/sick.calls"' \
	'unhealthy: rc $(rcof sick), $(cat "$t/sick.out"), calls: $(cat "$t/sick.calls")'
check '[ "$(sed -n "\$p" "$t/sick.calls")" = "systemctl reboot" ]' 'the reboot is not the last thing: $(cat "$t/sick.calls")'
FAKE_ACTIVE_RC=3 gate down "$t/cmdline-rauc"
check '[ "$(rcof down)" = 1 ] && [ "$(grep -c "^systemctl is-active --quiet" "$t/down.calls")" = 4 ] && ! grep -q "recaudo health" "$t/down.calls" && grep -qx "rauc status mark-bad" "$t/down.calls" && grep -qx "systemctl reboot" "$t/down.calls"' \
	'never active: rc $(rcof down), $(cat "$t/down.out"), calls: $(cat "$t/down.calls")'
FAKE_ACTIVE_RC=3 FAKE_RESTARTS=5 gate loop "$t/cmdline-rauc"
check '[ "$(rcof loop)" = 1 ] && [ "$(grep -c "^systemctl is-active --quiet" "$t/loop.calls")" = 1 ] && grep -q "restarted 5 times without becoming ready" "$t/loop.out" && grep -qx "rauc status mark-bad" "$t/loop.calls" && grep -qx "systemctl reboot" "$t/loop.calls"' \
	'crash loop: rc $(rcof loop), $(cat "$t/loop.out"), calls: $(cat "$t/loop.calls")'
FAKE_ACTIVE_RC=3 FAKE_RESTARTS=4 gate fewrestarts "$t/cmdline-rauc"
check '[ "$(rcof fewrestarts)" = 1 ] && [ "$(grep -c "^systemctl is-active --quiet" "$t/fewrestarts.calls")" = 4 ] && grep -q "not active after 3 s" "$t/fewrestarts.out"' \
	'4 restarts, under the limit: waited the whole time: $(cat "$t/fewrestarts.out"), calls: $(cat "$t/fewrestarts.calls")'
FAKE_ID_RC=1 gate nouser "$t/cmdline-rauc"
check '[ "$(rcof nouser)" = 0 ] && ! grep -q "^setpriv" "$t/nouser.calls" && grep -qx "recaudo health" "$t/nouser.calls"' \
	'no recaudo user: rc $(rcof nouser), calls: $(cat "$t/nouser.calls")'
gate plain "$t/cmdline-plain"
check '[ "$(rcof plain)" = 0 ] && grep -q "not booted by RAUC" "$t/plain.out" && ! grep -q "^rauc\|reboot" "$t/plain.calls" && grep -qx "recaudo health" "$t/plain.calls"' \
	'not booted by RAUC, healthy: rc $(rcof plain), $(cat "$t/plain.out"), calls: $(cat "$t/plain.calls")'
FAKE_HEALTH_RC=1 gate plainsick "$t/cmdline-plain"
check '[ "$(rcof plainsick)" = 1 ] && ! grep -q "^rauc\|reboot" "$t/plainsick.calls"' \
	'not booted by RAUC, unhealthy: rc $(rcof plainsick), calls: $(cat "$t/plainsick.calls")'
: >"$calls"
FAKE_HEALTH_RC=1 PATH="$t/norauc" RECAUDO_CMDLINE="$t/cmdline-rauc" RECAUDO_HEALTH_WAIT_S=3 /bin/sh image/health-gate >"$t/norauc.out" 2>&1
check '[ $? -eq 1 ] && grep -q "rauc is not installed" "$t/norauc.out" && ! grep -q "reboot" "$calls"' \
	'no rauc installed: $(cat "$t/norauc.out"), calls: $(cat "$calls")'

# ---- postinst with stubs: what it runs, where it enables ----
stub systemd-sysusers 'exit 0'
stub systemd-tmpfiles 'exit 0'
stub deb-systemd-helper 'exit 0'
stub ischroot 'exit "${FAKE_CHROOT_RC:-0}"'
: >"$calls"
FAKE_CHROOT_RC=0 PATH="$stubs:$PATH" sh "$x/DEBIAN/postinst" configure >"$t/postinst.out" 2>&1
check '[ $? -eq 0 ] && grep -qx "systemd-sysusers /usr/lib/sysusers.d/recaudo.conf" "$calls" && grep -qx "systemd-tmpfiles --create /usr/lib/tmpfiles.d/recaudo.conf" "$calls"' \
	'postinst: $(cat "$t/postinst.out"), calls: $(cat "$calls")'
check 'grep -qx "deb-systemd-helper enable recaudo.service" "$calls" && grep -qx "deb-systemd-helper enable recaudo-health.service" "$calls" && grep -qx "deb-systemd-helper enable recaudo-media.socket" "$calls" && ! grep -q "^systemctl" "$calls"' \
	'postinst in a chroot: $(cat "$calls")'
if [ ! -d /run/systemd/system ]; then
	: >"$calls"
	FAKE_CHROOT_RC=1 PATH="$stubs:$PATH" sh "$x/DEBIAN/postinst" configure >"$t/postinst.out" 2>&1
	check '[ $? -eq 0 ] && ! grep -q "deb-systemd-helper" "$calls" && grep -q "^systemd-sysusers" "$calls"' \
		'postinst without systemd, not in a chroot: $(cat "$calls")'
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
