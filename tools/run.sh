#!/bin/sh
# `make run`: the kiosk in a window on the demo store; with no display, the demo tour headless.
set -eu
bin=$1
data=${RECAUDO_DATA:-data}
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin" --demo --data "$data" ${RECAUDO_ARGS:-}
fi
echo "run: no display found; running the demo tour headless"
for size in 1080x1920 1280x800; do
  shots=shots/$size
  mkdir -p "$shots"
  "$bin" --headless --demo --data "$data" --size "$size" --script assets/demo/tour.script --shots "$shots"
  echo "run: screenshots ($size) in $shots/"
done
echo "run: receipt previews (ESC/POS .bin + rendered .png) in $data/receipts/"
