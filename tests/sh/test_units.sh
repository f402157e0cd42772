#!/bin/sh
# The systemd units, the sysusers and tmpfiles entries of the package (image/README.md "The
# units", issue 13):
#   - `systemd-analyze verify` passes on recaudo.service and recaudo-health.service with no
#     output at all (systemd 252 exits 0 on a misspelt key or a bad value and only prints it,
#     so any line counts as a failure). It runs with --root on a directory holding the units,
#     their ExecStart programs (the built binary, image/health-gate) and the machine's own
#     units (the targets they hang off), so the paths resolve without touching the machine;
#   - each of a list of deliberately broken copies is caught (the check can fail);
#   - the settings the other parts rely on are there (Type=notify, the watchdog, the restart
#     policy, the user, the console line, the SDL environment, the early start (no default
#     dependencies, but stopped at shutdown), the hardening; never
#     MemoryDenyWriteExecute, which Mesa's llvmpipe cannot live with);
#   - systemd-sysusers and systemd-tmpfiles on an empty root make the recaudo user (no login,
#     home /var/lib/recaudo, in video render input audio dialout lp) and /var/lib/recaudo 0700
#     owned by it;
#   - the health gate's ordering: after the kiosk, wanting it but not requiring it.
#   - the USB stick helper (recaudo-media.socket, recaudo-media@.service): only the recaudo
#     group connects, one root process a request, narrowed (Unix sockets only, CAP_SYS_ADMIN
#     only, SCSI disks only) and without a mount namespace of its own (PrivateMounts=no, and
#     nothing that implies one), so its mount is the kiosk's.
#   - the software update helper (recaudo-update.socket, recaudo-update@.service): only the
#     recaudo group connects; root narrowed to its file capabilities, Unix sockets only, a
#     read-only system but for the kiosk's store and /run, time enough for the wait and the
#     install.
# Prints `systemd-analyze security`'s exposure score for information.
# Usage: test_units.sh TMPDIR   (RECAUDO_BIN from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

units="recaudo.service recaudo-health.service recaudo-media.socket recaudo-media@.service recaudo-update.socket recaudo-update@.service"
# the root: the machine's units, ours, and the programs ours start
r=$t/root
sd=$r/usr/lib/systemd/system
mkdir -p "$sd" "$r/usr/bin" "$r/usr/lib/recaudo"
cp -a /usr/lib/systemd/system/. "$sd/"
for u in $units; do cp "image/systemd/$u" "$sd/$u"; done
cp "$bin" "$r/usr/bin/recaudo"
cp image/health-gate "$r/usr/lib/recaudo/health-gate"
cp image/media "$r/usr/lib/recaudo/media"
cp image/update-helper "$r/usr/lib/recaudo/update-helper"

# verify ROOT UNIT_PATH...: the exit status and every line it printed, in $t/verify.out
verify() {
	vr=$1
	shift
	systemd-analyze verify --man=no --root="$vr" "$@" >"$t/verify.out" 2>&1 && [ ! -s "$t/verify.out" ]
}

# ---- the units as shipped ----
if verify "$r" "$sd/recaudo.service" "$sd/recaudo-health.service" "$sd/recaudo-media.socket" \
	"$sd/recaudo-media@.service" "$sd/recaudo-update.socket" "$sd/recaudo-update@.service"; then ok; else
	bad "systemd-analyze verify: $(cat "$t/verify.out")"
fi

# ---- broken copies are caught: "sed expression%what it breaks" ----
i=0
while IFS='%' read -r expr what; do
	i=$((i + 1))
	if ! sed "$expr" "image/systemd/recaudo.service" >"$sd/broken$i.service"; then
		bad "broken copy $i ($what): sed failed"
	elif cmp -s "image/systemd/recaudo.service" "$sd/broken$i.service"; then
		bad "broken copy $i ($what): the sed expression changed nothing"
	else
		check '! verify "$r" "$sd/broken$i.service"' "a unit with $what passed systemd-analyze verify"
	fi
	rm -f "$sd/broken$i.service"
done <<'EOB'
s/^Type=notify/Type=notfy/%a misspelt service type
s/^WatchdogSec=30s/WatchdogSec=thirty/%a bad watchdog time
s|^ExecStart=/usr/bin/recaudo|ExecStart=/usr/bin/recaudo-missing|%a missing program
s/^DevicePolicy=closed/DevicPolicy=closed/%a misspelt key
s/^\[Service\]/[Servic]/%a misspelt section
s/^DeviceAllow=char-drm rw/DeviceAllow=char-drm rwz/%bad device rights
s/^Restart=always/Restart=sometimes/%a bad restart policy
s/^ProtectSystem=strict/ProtectSystem=verystrict/%a bad ProtectSystem value
EOB
# the health gate's program missing
mkdir -p "$t/root2"
cp -a "$r/." "$t/root2/"
rm "$t/root2/usr/lib/recaudo/health-gate"
check '! verify "$t/root2" "$t/root2/usr/lib/systemd/system/recaudo-health.service"' \
	"recaudo-health.service passed without its health-gate"

# ---- the settings the app, the gate and the image rely on ----
# has UNIT KEY=VALUE: the line is in the unit, exactly
has() { grep -qxF "$2" "image/systemd/$1"; }
for kv in Type=notify NotifyAccess=all WatchdogSec=30s Restart=always RestartSec=250ms \
	User=recaudo StandardOutput=journal+console "ExecStart=/usr/bin/recaudo --fullscreen --respawn" \
	"Environment=SDL_VIDEODRIVER=kmsdrm SDL_RENDER_DRIVER=opengles2" StartLimitIntervalSec=0 \
	TimeoutStartSec=90s ProtectSystem=strict ReadWritePaths=/var/lib/recaudo \
	"TemporaryFileSystem=/tmp:mode=1777,nosuid,nodev,noexec /var/tmp:mode=1777,nosuid,nodev,noexec" \
	NoNewPrivileges=yes ProtectHome=yes ProtectKernelTunables=yes ProtectKernelModules=yes \
	ProtectKernelLogs=yes ProtectControlGroups=yes LockPersonality=yes DevicePolicy=closed \
	"RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK" "DeviceAllow=char-drm rw" \
	"DeviceAllow=char-input r" "DeviceAllow=char-ttyS rw" "DeviceAllow=char-usb rw" \
	"DeviceAllow=char-usb_device rw" "SupplementaryGroups=video render input audio dialout lp" \
	"WantedBy=multi-user.target" DefaultDependencies=no "Before=shutdown.target" \
	"Conflicts=getty@tty1.service shutdown.target" "RequiresMountsFor=/var/lib/recaudo"; do
	check 'has recaudo.service "$kv"' "recaudo.service lacks $kv"
done
check '! grep -q "^MemoryDenyWriteExecute" image/systemd/recaudo.service' \
	"recaudo.service sets MemoryDenyWriteExecute (Mesa's llvmpipe JITs)"
for kv in Type=oneshot ExecStart=/usr/lib/recaudo/health-gate After=recaudo.service \
	Wants=recaudo.service "WantedBy=multi-user.target"; do
	check 'has recaudo-health.service "$kv"' "recaudo-health.service lacks $kv"
done
check '! grep -q "^Requires=\|^BindsTo=\|^Requisite=" image/systemd/recaudo-health.service' \
	"the health gate requires the kiosk: a kiosk that fails would never be marked bad"

# ---- the user and the data directory, made in an empty root ----
u=$t/users
mkdir -p "$u/etc"
systemd-sysusers --root="$u" "$(pwd)/image/sysusers.d/recaudo.conf" >"$t/sysusers.out" 2>&1
check '[ $? -eq 0 ]' "systemd-sysusers: $(cat "$t/sysusers.out")"
check 'grep -qx "recaudo:x:[0-9]*:[0-9]*:Recaudo kiosk:/var/lib/recaudo:/usr/sbin/nologin" "$u/etc/passwd"' \
	"the recaudo user: $(grep recaudo "$u/etc/passwd" 2>&1)"
for g in video render input audio dialout lp; do
	check 'grep -q "^$g:x:[0-9]*:\(.*,\)\{0,1\}recaudo\(,.*\)\{0,1\}$" "$u/etc/group"' "recaudo is not in $g: $(grep "^$g:" "$u/etc/group")"
done
systemd-tmpfiles --root="$u" --create "$(pwd)/image/tmpfiles.d/recaudo.conf" >"$t/tmpfiles.out" 2>&1
check '[ $? -eq 0 ]' "systemd-tmpfiles: $(cat "$t/tmpfiles.out")"
uid=$(awk -F: '$1 == "recaudo" { print $3 ":" $4 }' "$u/etc/passwd")
check '[ "$(stat -c "%a %u:%g" "$u/var/lib/recaudo" 2>&1)" = "700 $uid" ]' \
	"/var/lib/recaudo: $(stat -c "%a %u:%g" "$u/var/lib/recaudo" 2>&1), want 700 $uid"

# ---- for information: systemd's exposure score of the kiosk's unit ----
score=$(systemd-analyze security --offline=yes --root="$r" recaudo.service 2>/dev/null |
	sed -n 's/^.*Overall exposure level for recaudo.service: //p')
echo "systemd-analyze security recaudo.service: ${score:-(not available)}"

# ---- the USB stick helper (docs/usb-media.md) ----
ms=image/systemd/recaudo-media.socket mu=image/systemd/recaudo-media@.service
for kv in ListenStream=/run/recaudo-media.sock SocketUser=root SocketGroup=recaudo SocketMode=0660 Accept=yes; do
	check 'grep -qx "$kv" "$ms"' "recaudo-media.socket without $kv"
done
for kv in ExecStart=/usr/lib/recaudo/media StandardInput=socket StandardOutput=socket CapabilityBoundingSet=CAP_SYS_ADMIN \
	NoNewPrivileges=yes PrivateMounts=no RestrictAddressFamilies=AF_UNIX DevicePolicy=closed "DeviceAllow=block-sd rw" \
	RuntimeMaxSec=60s; do
	check 'grep -qx "$kv" "$mu"' "recaudo-media@.service without $kv"
done
# its mount must land in the machine's namespace, where the kiosk sees it: nothing that gives
# the helper a mount namespace of its own (PrivateNetwork= too, from systemd 254 on)
for k in ProtectSystem ProtectHome PrivateTmp PrivateDevices PrivateNetwork ReadOnlyPaths ReadWritePaths \
	TemporaryFileSystem ProtectKernelTunables ProtectControlGroups BindPaths; do
	check '! grep -q "^$k=" "$mu"' "recaudo-media@.service has $k= (a mount namespace: the stick would be mounted where the kiosk cannot see it)"
done
sed 's/^DeviceAllow=block-sd rw/DeviceAllow=block-sd rwz/' "$mu" >"$sd/recaudo-media-broken@.service"
check '! verify "$r" "$sd/recaudo-media-broken@.service"' "a helper unit with bad device rights passed verify"
rm -f "$sd/recaudo-media-broken@.service"
# the kiosk may write where the helper mounts
check 'grep -qx "ReadWritePaths=-/media/recaudo" image/systemd/recaudo.service' "recaudo.service cannot write /media/recaudo"

# ---- the software update helper (docs/update-helper.md) ----
us=image/systemd/recaudo-update.socket uu=image/systemd/recaudo-update@.service
for kv in ListenStream=/run/recaudo-update.sock SocketUser=root SocketGroup=recaudo SocketMode=0660 Accept=yes \
	"WantedBy=sockets.target"; do
	check 'grep -qx "$kv" "$us"' "recaudo-update.socket without $kv"
done
for kv in ExecStart=/usr/lib/recaudo/update-helper StandardInput=socket StandardOutput=socket \
	"CapabilityBoundingSet=CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_CHOWN CAP_FOWNER" NoNewPrivileges=yes ProtectSystem=strict \
	"ReadWritePaths=/var/lib/recaudo /run" PrivateDevices=yes RestrictAddressFamilies=AF_UNIX RuntimeMaxSec=2h \
	"Conflicts=shutdown.target"; do
	check 'grep -qx "$kv" "$uu"' "recaudo-update@.service without $kv"
done
sed 's/^RuntimeMaxSec=2h/RuntimeMaxSec=two hours/' "$uu" >"$sd/recaudo-update-broken@.service"
check '! verify "$r" "$sd/recaudo-update-broken@.service"' "an update helper unit with a bad time passed verify"
rm -f "$sd/recaudo-update-broken@.service"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
