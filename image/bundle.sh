#!/bin/sh
# image/bundle.sh ROOTFS_DIR VERSION OUT.raucb — a signed RAUC bundle of the root slot
# (image/README.md, "Updates"). ROOTFS_DIR is the root file system image/build.sh made (in
# its OUT_DIR/rootfs); its /etc/recaudo/version becomes VERSION in the bundle's slot image
# (the directory is left as it was). Signed with KEY_DIR's dev.cert.pem/dev.key.pem
# (production: the offline keys' signing certificate and key, SIGN_CERT and SIGN_KEY).
set -eu
root=${1:?usage: image/bundle.sh ROOTFS_DIR VERSION OUT.raucb}
version=${2:?usage: image/bundle.sh ROOTFS_DIR VERSION OUT.raucb}
out=${3:?usage: image/bundle.sh ROOTFS_DIR VERSION OUT.raucb}
cache=${IMAGE_CACHE:-/var/cache/recaudo-image}
keys=${KEY_DIR:-$cache/dev-keys}
cert=${SIGN_CERT:-$keys/dev.cert.pem}
key=${SIGN_KEY:-$keys/dev.key.pem}
[ "$(id -u)" = 0 ] || { echo "bundle: run as root (the slot's files keep their owners)" >&2; exit 1; }
[ -f "$root/etc/recaudo/version" ] || { echo "bundle: $root is not a kiosk root (make image first)" >&2; exit 1; }
[ -s "$cert" ] && [ -s "$key" ] || { echo "bundle: no signing certificate/key ($cert, $key)" >&2; exit 1; }
case $version in *[!0-9A-Za-z.+~-]* | "") echo "bundle: a version is digits, letters and . + ~ -" >&2; exit 1 ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
old=$(cat "$root/etc/recaudo/version")
printf '%s\n' "$version" >"$root/etc/recaudo/version"
rc=0
# the slot as image/build.sh squashes it (lzo: GRUB reads the kernel from it)
mksquashfs "$root" "$work/rootfs.img" -comp lzo -Xcompression-level 1 -noappend -quiet >/dev/null || rc=$?
printf '%s\n' "$old" >"$root/etc/recaudo/version"
[ "$rc" = 0 ] || exit "$rc"
mkdir "$work/bundle"
mv "$work/rootfs.img" "$work/bundle/rootfs.img"
cat >"$work/bundle/manifest.raucm" <<EOM
[update]
compatible=recaudo-kiosk
version=$version

[bundle]
format=verity

[image.rootfs]
filename=rootfs.img
EOM
rm -f "$out"
rauc bundle --cert="$cert" --key="$key" "$work/bundle" "$out" >/dev/null
echo "bundle: $out (version $version, $(du -h "$out" | cut -f1))"
