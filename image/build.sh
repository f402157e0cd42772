#!/bin/sh
# image/build.sh — the kiosk's disk image from Debian 12 packages (image/README.md).
#   image/build.sh DEB OUT_DIR
# As root. Makes, in OUT_DIR:
#   rootfs.img   the root slot: a read-only squashfs (what a RAUC bundle carries too)
#   esp.img      the EFI system partition: GRUB (standalone), its menu and grubenv
#   data.img     the data partition (ext4): /var/lib/recaudo, the journal, RAUC's status
#   recaudo.img  the GPT disk: esp, rootfs-A, rootfs-B, data (A holds the slot, B is empty)
# The base root file system (mmdebstrap from image/packages.txt) is cached in IMAGE_CACHE
# (default /var/cache/recaudo-image), keyed by the package list: only Debian packages are
# downloaded, and only when the list changes.
# Settings (environment): IMAGE_VARIANT=production|test (test adds qemu-guest-agent, for
# `make image-test` only), BUNDLE_VERSION (the image's version, default the package's),
# KEY_DIR (the signing CA's certificate keyring.pem; default the development keys, made once
# in IMAGE_CACHE/dev-keys), GRUB_PASSWORD_FILE (the boot menu's password; default one made
# once beside the development keys), IMAGE_MIRROR (default: this machine's apt sources,
# Debian 12 with its security updates).
set -eu

deb=${1:?usage: image/build.sh DEB OUT_DIR}
out=${2:?usage: image/build.sh DEB OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cache=${IMAGE_CACHE:-/var/cache/recaudo-image}
variant=${IMAGE_VARIANT:-production}
mirror=${IMAGE_MIRROR:-} # empty: the build machine's apt sources (with bookworm-security)
[ "$(id -u)" = 0 ] || { echo "image: run as root (mmdebstrap, ownership in the slot)" >&2; exit 1; }
case $variant in production | test) ;; *) echo "image: IMAGE_VARIANT is production or test" >&2; exit 1 ;; esac
[ -f "$deb" ] || { echo "image: no package $deb (make deb)" >&2; exit 1; }
for t in mmdebstrap mksquashfs mkfs.vfat mcopy mkfs.ext4 sgdisk grub-mkstandalone grub-editenv \
	grub-mkpasswd-pbkdf2 openssl; do
	command -v "$t" >/dev/null || { echo "image: $t is missing (make image installs it)" >&2; exit 1; }
done
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
version=${BUNDLE_VERSION:-$(dpkg-deb -f "$deb" Version)}
mkdir -p "$cache" "$out"
out=$(cd "$out" && pwd)

step() { printf 'image: %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

# ---- the keys: development ones made once; production ones come from KEY_DIR ----
keys=${KEY_DIR:-$cache/dev-keys}
if [ -z "${KEY_DIR:-}" ] && [ ! -s "$keys/keyring.pem" ]; then
	step "development signing keys in $keys (not for production: image/README.md)"
	sh "$here/dev-keys.sh" "$keys"
fi
[ -s "$keys/keyring.pem" ] || { echo "image: no $keys/keyring.pem" >&2; exit 1; }
pwfile=${GRUB_PASSWORD_FILE:-$cache/dev-keys/grub-password}
if [ -z "${GRUB_PASSWORD_FILE:-}" ] && [ ! -s "$pwfile" ]; then
	mkdir -p "$(dirname "$pwfile")"
	(umask 077; openssl rand -hex 12 >"$pwfile")
fi

# ---- the base root file system, cached by its package list ----
pkgs=$(grep -v '^#' "$here/packages.txt" | grep . | sort)
[ "$variant" = test ] && pkgs=$(printf '%s\nqemu-guest-agent\n' "$pkgs")
key=$(printf '%s\n%s\n%s\n' "${mirror:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null)}" "$pkgs" \
	"$(sed -n -e '/^\tmmdebstrap/,/^\tmv/p' "$here/build.sh")$(cat "$here"/initramfs/*)" |
	sha256sum | cut -c1-16)
base=$cache/base-$variant-$key.tar
# the initramfs holds only what finds and mounts a slot and the data partition (a small one
# loads in seconds, not tens of them): the two files of image/initramfs/, whose hook names
# the modules
if [ ! -s "$base" ]; then
	step "base root file system from Debian packages (cached as $base)"
	mmdebstrap --variant=minbase --mode=root --format=tar --include="$(printf '%s' "$pkgs" | paste -sd, -)" \
		--customize-hook='printf "MODULES=list\n" >"$1/etc/initramfs-tools/conf.d/recaudo"' \
		--customize-hook="install -m 0755 '$here/initramfs/recaudo.hook' \"\$1/etc/initramfs-tools/hooks/recaudo\"" \
		--customize-hook="install -m 0755 '$here/initramfs/recaudo-data.local-bottom' \"\$1/etc/initramfs-tools/scripts/local-bottom/recaudo-data\"" \
		--customize-hook='chroot "$1" update-initramfs -u -k all' \
		bookworm "$base.part" ${mirror:+"$mirror"}
	mv "$base.part" "$base"
	# an older base of this variant (another package list), or one a stopped build left
	# half made, is never used again
	find "$cache" -maxdepth 1 \( -name "base-$variant-*.tar" -o -name "base-$variant-*.tar.part" \) \
		! -name "$(basename "$base")" -delete
fi

# ---- the slot: base + the package + the kiosk's settings ----
root=$out/rootfs
step "root file system in $root"
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" --numeric-owner -xpf "$base"
cp "$deb" "$root/tmp/recaudo.deb"
chroot "$root" dpkg -i /tmp/recaudo.deb
rm -f "$root/tmp/recaudo.deb"
cp -a "$here/rootfs/." "$root/"
chown -R root:root "$root/etc/rauc" "$root/etc/fstab" "$root/etc/sysctl.d" "$root/etc/systemd"
cp "$keys/keyring.pem" "$root/etc/rauc/keyring.pem"
printf '%s\n' "$version" >"$root/etc/recaudo/version"
# no login anywhere, Ctrl+Alt+Del does nothing, the boot does not wait for the network
chroot "$root" systemctl mask getty@.service serial-getty@.service console-getty.service \
	container-getty@.service autovt@.service getty.target ctrl-alt-del.target \
	systemd-networkd-wait-online.service >/dev/null
chroot "$root" systemctl enable systemd-networkd.service systemd-resolved.service \
	systemd-timesyncd.service recaudo.service recaudo-health.service >/dev/null
# what a read-only kiosk never needs at boot or after: apt and dpkg's timers (no package is
# installed on a slot), e2scrub (LVM snapshots; there is no LVM)
chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
	e2scrub_all.timer e2scrub_reap.service >/dev/null
# and the generators systemd runs before it starts anything, one process each (seconds under
# TCG): the mounts come from fstab, the slot from GRUB, and there are no encrypted, verity or
# hibernation volumes, SysV scripts, rc.local or gettys. Kept: fstab, and debug (the
# systemd.mask=/systemd.wants= a technician may add in the protected GRUB editor)
mkdir -p "$root/etc/systemd/system-generators"
for g in cryptsetup getty gpt-auto hibernate-resume integritysetup rc-local run system-update \
	sysv veritysetup; do
	[ -e "$root/usr/lib/systemd/system-generators/systemd-$g-generator" ] ||
		{ echo "image: no generator systemd-$g-generator to disable" >&2; exit 1; }
	ln -sf /dev/null "$root/etc/systemd/system-generators/systemd-$g-generator"
done
ln -sf /run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
: >"$root/etc/machine-id" # the data partition's, bound over it at boot (image/initramfs/)
# the configuration lives on the data partition (provisioned per kiosk); the slot keeps
# the sample as its default
mv "$root/etc/recaudo/recaudo.ini" "$root/usr/share/recaudo/recaudo.ini.sample"
ln -s /var/lib/recaudo/recaudo.ini "$root/etc/recaudo/recaudo.ini"
mkdir -p "$root/data" "$root/boot/efi" "$root/var/lib/recaudo" "$root/var/lib/rauc" "$root/var/log/journal"
# GRUB reads the kernel and initrd from the slot under fixed names
kver=$(ls "$root/lib/modules" | sort -V | tail -n 1)
cp "$root/boot/vmlinuz-$kver" "$root/boot/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$root/boot/initrd.img"
# what a running kiosk never reads
rm -rf "$root/var/lib/apt/lists"/* "$root/var/cache/apt"/* "$root/usr/share/man" "$root/usr/share/info"
find "$root/usr/share/doc" -mindepth 2 ! -name copyright -type f -delete 2>/dev/null || true
if [ "$variant" = test ]; then
	# image-test drives the guest through the QEMU guest agent on a virtio-serial port
	chroot "$root" systemctl enable qemu-guest-agent.service >/dev/null 2>&1 || true
fi

# lzo: GRUB reads the kernel from the slot, and its squash4 knows gzip, xz and lzo (not zstd);
# lzo unpacks fastest of those, and level 1 squashes in seconds (image/bundle.sh: the same)
step "slot image (squashfs)"
rm -f "$out/rootfs.img"
mksquashfs "$root" "$out/rootfs.img" -comp lzo -Xcompression-level 1 -noappend -quiet >/dev/null
uid=$(chroot "$root" id -u recaudo)
gid=$(chroot "$root" id -g recaudo)

# ---- the ESP: GRUB built standalone with its modules, the menu, the environment ----
step "EFI system partition"
esp=$out/esp
rm -rf "$esp" && mkdir -p "$esp/EFI/BOOT" "$esp/EFI/recaudo"
hash=$(printf '%s\n%s\n' "$(cat "$pwfile")" "$(cat "$pwfile")" | grub-mkpasswd-pbkdf2 | sed -n 's/.*is //p')
[ -n "$hash" ] || { echo "image: grub-mkpasswd-pbkdf2 gave no hash" >&2; exit 1; }
args="quiet loglevel=3 rd.udev.log_level=3 systemd.show_status=false vt.global_cursor_default=0 console=ttyS0,115200 panic=10"
sed -e "s|@GRUB_PASSWORD_HASH@|$hash|" -e "s|@KERNEL_ARGS@|$args|" "$here/boot/grub.cfg" >"$esp/EFI/recaudo/grub.cfg"
grub-mkstandalone -O x86_64-efi -o "$esp/EFI/BOOT/BOOTX64.EFI" --locales= --fonts= --themes= \
	--modules="part_gpt fat squash4 loadenv test regexp linux echo configfile password_pbkdf2 normal gzio efi_gop all_video" \
	"boot/grub/grub.cfg=$here/boot/embedded.cfg"
grub-editenv "$esp/EFI/recaudo/grubenv" create
grub-editenv "$esp/EFI/recaudo/grubenv" set ORDER="A B" A_OK=1 A_TRY=0 B_OK=0 B_TRY=0
rm -f "$out/esp.img"
mkfs.vfat -C -n RECAUDOESP "$out/esp.img" $((64 * 1024)) >/dev/null
mcopy -s -i "$out/esp.img" "$esp/EFI" ::/

# ---- the data partition ----
step "data partition"
data=$out/data
rm -rf "$data" && mkdir -p "$data/recaudo" "$data/journal" "$data/rauc" "$data/cache"
cp "$root/usr/share/recaudo/recaudo.ini.sample" "$data/recaudo/recaudo.ini"
chown -R "$uid:$gid" "$data/recaudo" "$data/cache"
chmod 0700 "$data/cache"
chmod 0700 "$data/recaudo"
chmod 0600 "$data/recaudo/recaudo.ini"
chown "0:$(chroot "$root" getent group systemd-journal | cut -d: -f3)" "$data/journal"
chmod 2755 "$data/journal"
rm -f "$out/data.img"
mkfs.ext4 -q -L recaudo-data -d "$data" "$out/data.img" 512M

# ---- the disk ----
step "GPT disk"
disk=$out/recaudo.img
rm -f "$disk"
truncate -s 2700M "$disk"
sgdisk -o \
	-n 1:2048:+64M -t 1:ef00 -c 1:esp \
	-n 2:0:+1024M -t 2:8304 -c 2:rootfs-A \
	-n 3:0:+1024M -t 3:8304 -c 3:rootfs-B \
	-n 4:0:+512M -t 4:8300 -c 4:data "$disk" >/dev/null
put() { # partition number, image
	start=$(sgdisk -i "$1" "$disk" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
	[ -n "$start" ] || { echo "image: partition $1 missing in $disk" >&2; exit 1; }
	dd if="$2" of="$disk" bs=512 seek="$start" conv=notrunc,sparse status=none
}
put 1 "$out/esp.img"
put 2 "$out/rootfs.img"
put 4 "$out/data.img"
printf '%s\n' "$version" >"$out/version"
step "done: $disk (version $version, slot $(du -h "$out/rootfs.img" | cut -f1))"
