#!/bin/sh
# `make bench`: measures the PRODUCT.md §9 quality bars on this machine and prints them beside
# the targets. Not part of `make test`: the figures depend on the machine and its load.
# What each figure means and how it is taken: docs/benchmarks.md.
#
#   sh tools/bench.sh BUILD_DIR        (BUILD_DIR holds recaudo, bench and gen-portfolio)
set -eu
build=${1:-build}
bin=$build/recaudo
bench=$build/bench
gen=$build/gen-portfolio
idle_s=${BENCH_IDLE_S:-30}
for f in "$bin" "$bench" "$gen"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run make first" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/recaudo-bench.XXXXXX")
rows=$tmp/rows
xpid=""
kpid=""
cleanup() {
  [ -z "$kpid" ] || kill "$kpid" 2>/dev/null || true
  [ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
  [ -z "$kpid" ] || wait "$kpid" 2>/dev/null || true
  [ -z "$xpid" ] || wait "$xpid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
: >"$rows"

row() { printf '%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" >>"$rows"; }
# The app logs issued coupons on stderr; keep the bench output to the figures.
quiet() { "$@" 2>"$tmp/stderr" || { cat "$tmp/stderr" >&2; return 1; }; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
t_start=$(now_ms)

echo "bench: $(nproc) cores, $(uname -m), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: scratch data in $tmp"

# 1. Frame render time per screen, both screen sizes (creates the demo store in $tmp/demo).
echo
echo "== 1. frame render time"
quiet "$bench" --rows "$rows" frames "$tmp/demo"

# 3. Startup to first frame and resident memory, headless (the demo store exists by now).
echo
echo "== 3. startup to first frame, resident memory"
quiet "$bench" --rows "$rows" startup "$tmp/demo"
printf 'expect-screen attract\n' >"$tmp/startup.script"
mkdir -p "$tmp/shots"
quiet "$bench" --rows "$rows" process "$bin" "$tmp/demo" "$tmp/startup.script" "$tmp/shots"

# 4. ID -> portfolio with 1,000,000 documents in the store.
echo
echo "== 4. ID -> portfolio, 1,000,000 documents"
mkdir -p "$tmp/big"
"$gen" 1000000 --out "$tmp/big.db"
mv "$tmp/big.db" "$tmp/big/recaudo.db"
quiet "$bench" --rows "$rows" lookup "$tmp/big"
rm -rf "$tmp/big"

# 2. CPU used while idle on the attract screen: the real binary in a window under Xvfb.
echo
echo "== 2. idle CPU on attract, ${idle_s} s, in a window under Xvfb"
idle_metric="idle CPU on attract, ${idle_s} s (window)"
idle_target="~0 (< 1% of a core)"
have_xvfb() { command -v Xvfb >/dev/null 2>&1; }
if ! have_xvfb; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing xvfb"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb; } \
      >"$tmp/apt.log" 2>&1; then
      echo "bench: could not install xvfb:" >&2
      cat "$tmp/apt.log" >&2
    fi
  else
    echo "bench: Xvfb is missing; to measure idle CPU, run:"
    echo "  sudo apt-get update && sudo apt-get install -y xvfb"
  fi
fi
# utime + stime of a process (all its threads), in clock ticks: fields 14 and 15 of
# /proc/PID/stat, counted after the parenthesised command name.
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
if ! have_xvfb; then
  echo "skipped (no Xvfb)"
  row "$idle_metric" "$idle_target" "skipped (no Xvfb)" "-"
else
  disp=99
  while [ -e "/tmp/.X$disp-lock" ] || [ -e "/tmp/.X11-unix/X$disp" ]; do disp=$((disp + 1)); done
  Xvfb ":$disp" -screen 0 1280x1024x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  xpid=$!
  n=0
  while [ ! -e "/tmp/.X11-unix/X$disp" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  if [ ! -e "/tmp/.X11-unix/X$disp" ]; then
    echo "skipped (Xvfb :$disp did not start)"
    cat "$tmp/xvfb.log" >&2
    row "$idle_metric" "$idle_target" "skipped (Xvfb failed)" "-"
  else
    DISPLAY=":$disp" "$bin" --demo --data "$tmp/demo" >"$tmp/window.log" 2>&1 &
    kpid=$!
    sleep 3 # startup, first frame, and whatever settles after it
    if ! kill -0 "$kpid" 2>/dev/null; then
      echo "skipped (the kiosk exited in the window):"
      cat "$tmp/window.log" >&2
      kpid=""
      row "$idle_metric" "$idle_target" "skipped (app exited)" "-"
    else
      hz=$(getconf CLK_TCK)
      a0=$(ticks "$kpid")
      x0=$(ticks "$xpid")
      sleep "$idle_s"
      a1=$(ticks "$kpid")
      x1=$(ticks "$xpid")
      hwm=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$kpid/status")
      # what the resident set is made of: the app's own memory vs shared libraries (the X11
      # and GL stack SDL loads for a window: Mesa and its LLVM under Xvfb)
      mem=$(awk '/^Rss(Anon|File|Shmem):/ { printf "%s%s %.1f MB", sep, $1, $2 / 1024; sep = ", " }' \
        "/proc/$kpid/status")
      gl=$(awk '$6 ~ /(dri|LLVM|libGL)/ { n = $6; sub(/.*\//, "", n); if (!(n in s)) { s[n]; l = l sep n; sep = " " } }
        END { print l }' "/proc/$kpid/maps")
      kill "$kpid"
      wait "$kpid" 2>/dev/null || true
      kpid=""
      cpu=$(awk -v d=$((a1 - a0)) -v hz="$hz" 'BEGIN { printf "%.2f", d / hz }')
      pct=$(awk -v d=$((a1 - a0)) -v hz="$hz" -v s="$idle_s" 'BEGIN { printf "%.2f", 100 * d / hz / s }')
      xcpu=$(awk -v d=$((x1 - x0)) -v hz="$hz" 'BEGIN { printf "%.2f", d / hz }')
      ok=$(awk -v p="$pct" 'BEGIN { print (p < 1.0) ? "yes" : "NO" }')
      echo "kiosk: startup used $(awk -v d="$a0" -v hz="$hz" 'BEGIN { printf "%.2f", d / hz }') s CPU (first 3 s)"
      echo "kiosk: ${cpu} s CPU (utime+stime) in ${idle_s} s idle = ${pct}% of one core; Xvfb itself: ${xcpu} s"
      echo "kiosk in a window: peak RSS (VmHWM) ${hwm} MB; now ${mem}"
      echo "kiosk in a window: GL stack mapped: ${gl:-none}"
      row "$idle_metric" "$idle_target" "${cpu} s CPU = ${pct}%" "$ok"
      ok=$(awk -v m="$hwm" 'BEGIN { print (m <= 64.0) ? "yes" : "NO" }')
      row "peak RSS, in a window (VmHWM)" "<= 64 MB" "${hwm} MB" "$ok"
    fi
    kill "$xpid" 2>/dev/null || true
    wait "$xpid" 2>/dev/null || true
    xpid=""
  fi
fi

t_end=$(now_ms)
echo
echo "== Recaudo benchmarks vs PRODUCT.md §9 ($(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg), $(((t_end - t_start) / 1000)) s)"
awk -F'|' '
  { for (i = 1; i <= 4; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
  END {
    h[1] = "metric"; h[2] = "target"; h[3] = "measured"; h[4] = "ok?"
    for (i = 1; i <= 4; i++) if (length(h[i]) > w[i]) w[i] = length(h[i])
    fmt = "%-" w[1] "s | %-" w[2] "s | %-" w[3] "s | %s\n"
    printf fmt, h[1], h[2], h[3], h[4]
    sep = ""
    for (j = 0; j < w[1] + w[2] + w[3] + w[4] + 9; j++) sep = sep "-"
    print sep
    for (r = 1; r <= NR; r++) printf fmt, c[r, 1], c[r, 2], c[r, 3], c[r, 4]
  }' "$rows"
