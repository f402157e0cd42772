#!/bin/sh
# image/media, the USB stick helper (docs/usb-media.md), with a fake /sys/block and /dev and
# stubs on PATH (stat, blkid, mount, umount, findmnt, id, sync) that log their arguments:
#   - no USB disk (only an internal one): "error no-device", nothing mounted;
#   - a FAT partition on a USB disk: mounted at the folder with nosuid,nodev,noexec, owned by
#     the recaudo user (uid=, gid=, umask=0077) and flush; "ok mounted vfat LABEL";
#   - asked again: the same answer, no second mount; status says the same;
#   - eject: sync, then umount, "ok ejected"; then status and eject say "ok none";
#   - exFAT on a disk without partitions: the whole disk, no flush; NTFS or no file system:
#     "error fstype ntfs" / "error fstype -", nothing mounted;
#   - mount(8) refusing: "error mount"; umount refusing (a file open): "error busy";
#   - a stale mount whose stick was pulled: detached (umount -l), then "ok none" or the next
#     stick mounted;
#   - labels: spaces kept, anything else but letters, digits, '.', '_', '-' gives "-", at
#     most 32 characters; never a label in the log;
#   - a USB disk the machine itself uses (booted from it: a partition mounted elsewhere, or GPT
#     names esp/data/rootfs-*) is never a candidate; a candidate that is not a block device
#     is skipped;
#   - another request holding the lock: "error busy" once the (shortened) wait is over;
#   - an unknown or empty request: "error request", exit 1.
# Usage: test_media.sh TMPDIR
set -u
t=$1
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

calls=$t/calls
st=$t/state # the fake mount table: "SOURCE" when something is mounted at the folder
mkdir -p "$t/stubs" "$t/dev" "$t/sys/block" "$t/devices" "$t/media"
stub() { printf '#!/bin/sh\necho "%s $*" >>"%s"\n%s\n' "$1" "$calls" "$2" >"$t/stubs/$1"; chmod 755 "$t/stubs/$1"; }
# a device is a block device while a plain file stands for it in $t/dev (a folder there: not one)
stub stat 'for a; do f=$a; done; [ -f "$f" ] && case $f in '"$t"'/dev/*) echo "block special file"; exit 0 ;; esac; echo "directory"'
# blkid -p -o value -s TYPE|LABEL|PART_ENTRY_NAME DEV: from $t/dev/NAME.type, .label, .part
stub blkid 'f=$6; case $5 in TYPE) cat "$f.type" 2>/dev/null ;; LABEL) cat "$f.label" 2>/dev/null ;;
PART_ENTRY_NAME) cat "$f.part" 2>/dev/null ;; esac; exit 0'
stub mount '[ "${FAKE_MOUNT_RC:-0}" = 0 ] || exit 32; for a; do :; done; eval src=\${$(($#-1))}; echo "$src" >"'"$st"'"'
stub umount '[ "$1" = -l ] || [ "${FAKE_UMOUNT_RC:-0}" = 0 ] || exit 32; rm -f "'"$st"'"'
# findmnt --mountpoint DIR: the fake table; findmnt -S DEV: a target when DEV is listed in
# $t/elsewhere (mounted by the machine itself)
stub findmnt 'case $* in *--mountpoint*) cat "'"$st"'" 2>/dev/null ;;
*" -S "*) for a; do d=$a; done; grep -qx "$d" "'"$t"'/elsewhere" 2>/dev/null && echo /somewhere ;; esac; exit 0'
stub id 'case $1 in -u) echo 1234 ;; -g) echo 5678 ;; esac'
stub sync 'exit 0'

# disk NAME usb|ata [PART...]: a disk in the fake sysfs with its partitions
disk() {
	n=$1 bus=$2
	shift 2
	p=$t/devices/pci0000:00/0000:00:14.0/$bus/host0/block/$n
	[ "$bus" = usb ] && p=$t/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host0/block/$n
	mkdir -p "$p"
	ln -sfn "$p" "$t/sys/block/$n"
	: >"$t/dev/$n"
	for q; do mkdir -p "$p/$q"; : >"$t/dev/$q"; done
}
fs() { printf '%s' "$2" >"$t/dev/$1.type"; printf '%s' "$3" >"$t/dev/$1.label"; }
unplug() { rm -rf "$(readlink -f "$t/sys/block/$1")" "$t/sys/block/$1" "$t/dev/$1"*; }

# req NAME REQUEST: the helper's answer in $t/NAME.out, its log in NAME.err, status NAME.rc
req() {
	: >"$calls"
	printf '%s\n' "$2" | PATH="$t/stubs:$PATH" RECAUDO_MEDIA_DIR=$t/media RECAUDO_MEDIA_SYS=$t/sys/block \
		RECAUDO_MEDIA_DEV=$t/dev RECAUDO_MEDIA_LOCK=$t/lock RECAUDO_MEDIA_LOCK_WAIT=1 sh image/media \
		>"$t/$1.out" 2>"$t/$1.err"
	echo $? >"$t/$1.rc"
}
answer() {
	if [ "$(cat "$t/$1.out")" = "$2" ]; then ok; else bad "$1: answered '$(cat "$t/$1.out")', want '$2'"; fi
}
called() {
	if grep -q -- "$2" "$calls"; then ok; else bad "$1: no call matching '$2' in: $(tr '\n' ';' <"$calls")"; fi
}
not_called() {
	if grep -q -- "$2" "$calls"; then bad "$1: a call matching '$2': $(tr '\n' ';' <"$calls")"; else ok; fi
}

# ---- no USB disk: only the kiosk's own ----
disk sda ata sda1
fs sda1 ext4 rootfs
req none mount
answer none "error no-device"
not_called none "^mount"

# ---- a FAT stick ----
disk sdb usb sdb1
fs sdb1 vfat KINGSTON
req m1 mount
answer m1 "ok mounted vfat KINGSTON"
called m1 "^mount -t vfat -o nosuid,nodev,noexec,noatime,uid=1234,gid=5678,umask=0077,flush $t/dev/sdb1 $t/media\$"
check '[ "$(cat "$t/m1.rc")" = 0 ]' "mount: exit status $(cat "$t/m1.rc")"
check '! grep -q KINGSTON "$t/m1.err"' "the log names the stick's label: $(cat "$t/m1.err")"
req m2 mount
answer m2 "ok mounted vfat KINGSTON"
not_called m2 "^mount"
req s1 status
answer s1 "ok mounted vfat KINGSTON"
req e1 eject
answer e1 "ok ejected"
called e1 "^sync"
called e1 "^umount $t/media\$"
check '[ ! -e "$st" ]' "eject left the stick mounted"
req s2 status
answer s2 "ok none"
req e2 eject
answer e2 "ok none"
not_called e2 "^umount"

# ---- eject refused while a file is open ----
req m3 mount
FAKE_UMOUNT_RC=1 req busy eject
answer busy "error busy"
check '[ -e "$st" ]' "a refused eject lost the mount"

# ---- the stick pulled without eject: detached, then the next one ----
unplug sdb
req stale status
answer stale "ok none"
called stale "^umount -l $t/media\$"
disk sdc usb
fs sdc exfat "MY STICK"
req ex mount
answer ex "ok mounted exfat MY STICK"
called ex "^mount -t exfat -o nosuid,nodev,noexec,noatime,uid=1234,gid=5678,umask=0077 $t/dev/sdc $t/media\$"
req e3 eject
answer e3 "ok ejected"
unplug sdc

# ---- file systems the kiosk does not take ----
disk sdd usb sdd1
fs sdd1 ntfs DATA
req ntfs mount
answer ntfs "error fstype ntfs"
not_called ntfs "^mount"
fs sdd1 "" ""
req nofs mount
answer nofs "error fstype -"
# a second partition with FAT is taken
disk sdd usb sdd1 sdd2
fs sdd1 ntfs DATA
fs sdd2 vfat "Juan's/USB"
req second mount
answer second "ok mounted vfat -"
called second "^mount -t vfat .* $t/dev/sdd2 $t/media\$"
req e4 eject
fs sdd2 vfat "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
req long mount
answer long "ok mounted vfat ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
req e5 eject
FAKE_MOUNT_RC=1 req mfail mount
answer mfail "error mount"
check '[ ! -e "$st" ]' "a failed mount left a mount"

# ---- disks the machine uses, and what is not a block device ----
unplug sdd
disk sde usb sde1 sde2
fs sde1 vfat RECAUDOESP
fs sde2 vfat OTHER
echo "$t/dev/sde2" >"$t/elsewhere" # booted from it: a partition is mounted
req booted mount
answer booted "error no-device"
not_called booted "^mount"
check 'grep -q "the machine itself uses" "$t/booted.err"' "a disk in use: not said in the log: $(cat "$t/booted.err")"
: >"$t/elsewhere"
printf esp >"$t/dev/sde1.part" # the image's partitions, not mounted (yet)
req espname mount
answer espname "error no-device"
not_called espname "^mount"
unplug sde
disk sdf usb sdf1
fs sdf1 vfat STICK
rm "$t/dev/sdf1" && mkdir "$t/dev/sdf1" # not a block device (the stub says so)
req notblock mount
answer notblock "error no-device"
not_called notblock "^mount"
rmdir "$t/dev/sdf1"

# ---- another request holds the lock ----
: >"$t/dev/sdf1"
flock "$t/lock" sleep 4 &
holder=$!
sleep 0.5
req locked mount
answer locked "error busy"
not_called locked "^mount"
wait $holder
req unlocked mount
answer unlocked "ok mounted vfat STICK"
req e6 eject
unplug sdf

# ---- bad requests ----
req what format
answer what "error request"
check '[ "$(cat "$t/what.rc")" = 1 ]' "an unknown request: exit status $(cat "$t/what.rc")"
req empty ""
answer empty "error request"
req longreq "mountmountmountmountmount"
answer longreq "error request"
not_called longreq "^mount"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
