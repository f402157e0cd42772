#!/bin/sh
# `make bench`: measures the PRODUCT.md §9 quality bars on this machine and prints them beside
# the targets. Not part of `make test`: the figures depend on the machine and its load.
# What each figure means and how it is taken: docs/benchmarks.md.
#
#   sh tools/bench.sh BUILD_DIR        (BUILD_DIR holds recaudo, bench, gen-portfolio and
#                                       central-sim)
set -eu
build=${1:-build}
bin=$build/recaudo
bench=$build/bench
gen=$build/gen-portfolio
sim=$build/central-sim
idle_s=${BENCH_IDLE_S:-30}
for f in "$bin" "$bench" "$gen" "$sim"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run make first" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/recaudo-bench.XXXXXX")
rows=$tmp/rows
xpid=""
kpid=""
spid=""
cleanup() {
  [ -z "$kpid" ] || kill "$kpid" 2>/dev/null || true
  [ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
  [ -z "$spid" ] || kill "$spid" 2>/dev/null || true
  [ -z "$kpid" ] || wait "$kpid" 2>/dev/null || true
  [ -z "$xpid" ] || wait "$xpid" 2>/dev/null || true
  [ -z "$spid" ] || wait "$spid" 2>/dev/null || true
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

# 4b. The field agent's client search on the same store: by name prefix and by ID; then the
#     migration to schema 9 on it (the name index rebuilt for every customer).
echo
echo "== 4b. field search by name prefix and by ID, 1,000,000 documents"
quiet "$bench" --rows "$rows" field "$tmp/big/recaudo.db"
rm -rf "$tmp/big"

# 5. The outbox. Durable enqueue: coupons issued back to back, each one transaction with its
#    outbox event (WAL, synchronous=FULL), and the fsync/fdatasync calls per commit counted
#    with strace (a run of 500 minus a run that only opens the store). Drain: 1,000 events
#    queued in a new store, then the sync worker against the central simulator over loopback
#    TLS: wall time to an empty queue, and the TCP connections it opened (connect() calls to
#    the simulator's port, under strace, in a second run against a fresh simulator database).
echo
echo "== 5. outbox: durable enqueue, drain to the simulator over loopback TLS"
have_strace() { command -v strace >/dev/null 2>&1; }
if ! have_strace; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing strace"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace; } \
      >"$tmp/apt-strace.log" 2>&1; then
      echo "bench: could not install strace:" >&2
      cat "$tmp/apt-strace.log" >&2
    fi
  else
    echo "bench: strace is missing; to count fsyncs and connections, run:"
    echo "  sudo apt-get update && sudo apt-get install -y strace"
  fi
fi
# the calls strace -c counted for the named syscalls ($4: the "calls" column)
strace_calls() { awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$1"; }
quiet "$bench" --rows "$rows" enqueue "$tmp/enqueue" 2000
if have_strace &&
  strace -f -c -e trace=fsync,fdatasync -o "$tmp/strace0" "$bench" enqueue "$tmp/enqueue" 0 >/dev/null 2>&1 &&
  strace -f -c -e trace=fsync,fdatasync -o "$tmp/strace1" "$bench" enqueue "$tmp/enqueue" 500 >/dev/null 2>&1; then
  f0=$(strace_calls "$tmp/strace0")
  f1=$(strace_calls "$tmp/strace1")
  per=$(awk -v a="$f0" -v b="$f1" 'BEGIN { printf "%.2f", (b - a) / 500 }')
  echo "fsync + fdatasync: $f1 calls for 500 commits, $f0 for opening alone: $per per commit"
  row "fsync + fdatasync per commit (strace)" "—" "$per" "-"
else
  echo "skipped the fsync count (no strace, or ptrace not allowed)"
  row "fsync + fdatasync per commit (strace)" "—" "skipped (no strace)" "-"
fi

# 6. Coupon issue with a long queue: the UI thread's part of a coupon with a central API (the
#    unacknowledged total, then the coupon transaction) on a store with 0 events pending and
#    on one with 100,000, alternately; the medians must be within 20 % of each other.
echo
echo "== 6. coupon issue with 0 and 100,000 events pending"
quiet "$bench" --rows "$rows" issue "$tmp/issue"
rm -rf "$tmp/issue"

c=$tmp/central
mkdir -p "$c"
sh tools/gen-cert.sh "$c" >/dev/null
(umask 077; head -c 32 /dev/urandom >"$c/secret"; head -c 32 /dev/urandom >"$c/qrkey")
# start_sim DB: a simulator for device K0001 (kiosk 1) on a free port; sets spid and url
start_sim() {
  rm -f "$c/port"
  "$sim" --listen 127.0.0.1:0 --tls "$c/server.pem" "$c/server.key" --db "$1" \
    --seed assets/demo/portfolio.json --device "K0001:$c/secret:$c/qrkey:1" --port-file "$c/port" \
    --quiet 2>>"$c/sim.log" &
  spid=$!
  n=0
  while [ ! -s "$c/port" ]; do
    n=$((n + 1))
    if ! kill -0 "$spid" 2>/dev/null || [ $n -gt 100 ]; then
      echo "bench: the central simulator did not start:" >&2
      cat "$c/sim.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  url="https://127.0.0.1:$(cat "$c/port")"
}
stop_sim() { kill "$spid"; wait "$spid" 2>/dev/null || true; spid=""; }
start_sim "$c/central1.db"
quiet "$bench" --rows "$rows" drain "$tmp/drain1" "$url" K0001 "$c/secret" "$c/ca.pem" "$(cat "$c/pin.txt")" 1000
stop_sim
if have_strace; then
  start_sim "$c/central2.db"
  port=${url##*:}
  if strace -f -e trace=connect -o "$tmp/connect.trace" "$bench" drain "$tmp/drain2" "$url" K0001 \
    "$c/secret" "$c/ca.pem" "$(cat "$c/pin.txt")" 1000 >/dev/null 2>&1; then
    conns=$(grep -c "htons($port)" "$tmp/connect.trace")
    echo "drain: $conns TCP connection(s) to the simulator for 1,000 events (connect() under strace)"
    row "TCP connections to drain 1,000 events" "—" "$conns" "-"
  else
    row "TCP connections to drain 1,000 events" "—" "failed under strace" "-"
  fi
  stop_sim
else
  row "TCP connections to drain 1,000 events" "—" "skipped (no strace)" "-"
fi

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
# widths in characters, not bytes ("—" is three bytes of UTF-8)
awk -F'|' '
  function cw(s) { gsub(/[\200-\277]/, "", s); return length(s) }
  function pad(s, n) { while (cw(s) < n) s = s " "; return s }
  { for (i = 1; i <= 4; i++) { c[NR, i] = $i; if (cw($i) > w[i]) w[i] = cw($i) } }
  END {
    h[1] = "metric"; h[2] = "target"; h[3] = "measured"; h[4] = "ok?"
    for (i = 1; i <= 4; i++) if (length(h[i]) > w[i]) w[i] = length(h[i])
    printf "%s | %s | %s | %s\n", pad(h[1], w[1]), pad(h[2], w[2]), pad(h[3], w[3]), h[4]
    sep = ""
    for (j = 0; j < w[1] + w[2] + w[3] + w[4] + 9; j++) sep = sep "-"
    print sep
    for (r = 1; r <= NR; r++)
      printf "%s | %s | %s | %s\n", pad(c[r, 1], w[1]), pad(c[r, 2], w[2]), pad(c[r, 3], w[3]), c[r, 4]
  }' "$rows"

# Every target missed, as a FAIL line (bench prints them as it measures, too); the exit status
# says whether all were met.
missed=$(awk -F'|' '$4 == "NO" { n++ } END { print n + 0 }' "$rows")
echo
awk -F'|' '$4 == "NO" { printf "FAIL %s: %s (target %s)\n", $1, $3, $2 }' "$rows"
if [ "$missed" -gt 0 ]; then
  echo "bench: $missed target(s) missed"
  exit 1
fi
echo "bench: every target met"
