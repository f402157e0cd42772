#!/bin/sh
# gen-cert.sh OUTDIR — throwaway TLS material for the central simulator (tests, `make demo`):
#   OUTDIR/ca.pem, ca.key          a self-signed CA (P-256, 30 days)
#   OUTDIR/server.pem, server.key  a server certificate it signed for IP:127.0.0.1 and
#                                  DNS:localhost (serverAuth)
#   OUTDIR/pin.txt                 the server public key pin, "sha256//BASE64" of the SPKI
#                                  (curl's CURLOPT_PINNEDPUBLICKEY syntax; [central] pinned_key)
# and prints the pin. Keys are created 0600. Nothing here is ever committed or reused: tests
# generate their own at run time.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: gen-cert.sh OUTDIR" >&2
  exit 2
fi
out=$1
command -v openssl >/dev/null 2>&1 || { echo "gen-cert.sh: openssl is not installed" >&2; exit 1; }
mkdir -p "$out"
umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/gen-cert-XXXXXX")
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$out/ca.key" -out "$out/ca.pem" -days 30 -subj "/CN=Recaudo test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  2>"$work/log" || { cat "$work/log" >&2; exit 1; }

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$out/server.key" -out "$work/server.csr" -subj "/CN=127.0.0.1" \
  2>"$work/log" || { cat "$work/log" >&2; exit 1; }

cat >"$work/server.ext" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
EOF
openssl x509 -req -in "$work/server.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" \
  -set_serial "0x$(openssl rand -hex 8)" -days 30 -extfile "$work/server.ext" \
  -out "$out/server.pem" 2>"$work/log" || { cat "$work/log" >&2; exit 1; }

pin=$(openssl x509 -in "$out/server.pem" -pubkey -noout | openssl pkey -pubin -outform der |
  openssl dgst -sha256 -binary | openssl base64 -A)
printf 'sha256//%s\n' "$pin" >"$out/pin.txt"
chmod 644 "$out/ca.pem" "$out/server.pem" "$out/pin.txt"
printf 'sha256//%s\n' "$pin"
