#!/bin/sh
# image/dev-keys.sh DIR — development signing keys for RAUC bundles (image/README.md, "Keys").
# A self-signed certificate (DIR/dev.cert.pem, its key DIR/dev.key.pem) that is also the
# keyring (DIR/keyring.pem) the image trusts. Never for production: production keys are made
# and kept offline, and only their CA's certificate goes into the image (KEY_DIR).
set -eu
dir=${1:?usage: image/dev-keys.sh DIR}
mkdir -p "$dir"
chmod 0700 "$dir"
umask 077
openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/O=Recaudo development/CN=recaudo-dev-bundles" \
	-keyout "$dir/dev.key.pem" -out "$dir/dev.cert.pem" 2>/dev/null
cp "$dir/dev.cert.pem" "$dir/keyring.pem"
echo "image: development keys in $dir (the keyring is $dir/keyring.pem)"
