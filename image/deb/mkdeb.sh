#!/bin/sh
# Assembles and builds the Debian package of Recaudo; `make deb` (image/deb.mk) runs it with the
# stripped binary and the Depends dpkg-shlibdeps computed for it (both kept in the build dir,
# remade only when the binary changes). See image/README.md "The package".
# Usage: mkdeb.sh OUT.deb STRIPPED_BINARY SHLIBS_DEPENDS_FILE VERSION ARCH
set -eu
out=$1 bin=$2 shlibs=$3 version=$4 arch=$5
maintainer=${DEB_MAINTAINER:-Recaudo project <maintainers@recaudo.invalid>}
root=${out%.deb}.root
rm -rf "$root"
umask 022

# file MODE SOURCE DEST: DEST's directories 0755, the file with MODE
file() { install -D -m "$1" "$2" "$root$3"; }
file 0755 "$bin" /usr/bin/recaudo
# the assets the kiosk reads at run time (app_paths() in app/services.c): the receipt's logo,
# and the portfolio --demo imports into a new store
file 0644 assets/logo.png /usr/share/recaudo/logo.png
file 0644 assets/demo/portfolio.json /usr/share/recaudo/demo/portfolio.json
file 0644 image/recaudo.ini /etc/recaudo/recaudo.ini
file 0644 image/systemd/recaudo.service /usr/lib/systemd/system/recaudo.service
file 0644 image/systemd/recaudo-health.service /usr/lib/systemd/system/recaudo-health.service
file 0644 image/sysusers.d/recaudo.conf /usr/lib/sysusers.d/recaudo.conf
file 0644 image/tmpfiles.d/recaudo.conf /usr/lib/tmpfiles.d/recaudo.conf
file 0755 image/health-gate /usr/lib/recaudo/health-gate
file 0755 image/update /usr/lib/recaudo/update
# maintenance mode's USB stick: the helper that mounts it on request, and its mount point (the
# image's root is read-only: the folder must be in it)
file 0755 image/media /usr/lib/recaudo/media
file 0644 image/systemd/recaudo-media.socket /usr/lib/systemd/system/recaudo-media.socket
file 0644 image/systemd/recaudo-media@.service /usr/lib/systemd/system/recaudo-media@.service
install -d -m 0755 "$root/media/recaudo"
# maintenance mode's "Software" screen: the helper that lists and installs update bundles
file 0755 image/update-helper /usr/lib/recaudo/update-helper
file 0644 image/systemd/recaudo-update.socket /usr/lib/systemd/system/recaudo-update.socket
file 0644 image/systemd/recaudo-update@.service /usr/lib/systemd/system/recaudo-update@.service
file 0644 image/deb/copyright /usr/share/doc/recaudo/copyright
file 0644 image/README.md /usr/share/doc/recaudo/README.md
for s in postinst prerm postrm; do file 0755 "image/deb/$s" "/DEBIAN/$s"; done
printf '/etc/recaudo/recaudo.ini\n' >"$root/DEBIAN/conffiles"
chmod 0644 "$root/DEBIAN/conffiles"

depends=$(sed -n 's/^shlibs:Depends=//p' "$shlibs")
[ -n "$depends" ] || { echo "mkdeb: no shlibs:Depends in $shlibs" >&2; exit 1; }
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOC
Package: recaudo
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends, fonts-dejavu-core, libegl1, libgles2, libgl1-mesa-dri, systemd
Recommends: rauc
Section: misc
Priority: optional
Description: payment kiosk for insurance premiums and bills
 Recaudo shows a customer's pending documents, issues payment coupons with a
 QR code and a GS1-128 barcode, and prints them on an ESC/POS thermal printer.
 It works offline from a local SQLite store and syncs with a central API.
 .
 This package installs the kiosk, its systemd units (recaudo.service, the
 recaudo-health.service gate for RAUC A/B updates, recaudo-media.socket which
 mounts a technician's USB stick on request, recaudo-update.socket which installs
 an update bundle from it), its user and data directory
 (/var/lib/recaudo) and a sample /etc/recaudo/recaudo.ini.
EOC
chmod 0644 "$root/DEBIAN/control"
rm -f "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
rm -rf "$root"
echo "deb: $out ($(du -k "$out" | cut -f1) KB)"
