#!/bin/sh
# Installs the Debian packages Recaudo needs, once. As root it runs apt-get; otherwise it
# prints the exact command and fails, so `make run` / `make test` never half-build.
set -eu
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "deps: missing Debian packages. Run:"
  echo "  sudo apt-get update && sudo apt-get install -y$missing"
  exit 1
fi
