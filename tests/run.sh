#!/bin/sh
# Runs every test and ends with "N passed, N failed":
#   unit binaries (build/tests/test_*), headless scenarios in portrait and landscape
#   (tests/scenarios/*.script), and command-line tests (tests/sh/test_*.sh).
# Usage: tests/run.sh BUILD_DIR [unit]      RUN_JOBS=N runs N tests at a time (default 2);
#        VALGRIND=1 runs the unit binaries under valgrind (VALGRIND_JOBS, if set, is the
#        older name of RUN_JOBS); RECAUDO_SUMMARY=FILE appends "PASS FAIL" to FILE at the end;
#        RUN_TIMES=FILE writes each test's seconds to FILE, the slowest first;
#        RECAUDO_SIZES="WxH ..." the sizes of the scenarios (and of the shell tests that heed
#        it), both by default; `make asan` sets one.
#
# The tests are independent: each uses its own temporary directory ($tmp/NAME, or mkdtemp in
# the unit tests) and ports the system picks, and none writes into the tree. They run RUN_JOBS
# at a time (xargs -P), the longest first so the lanes end together, each test's output in its
# own file; the report reads those files in the usual order, as each test ends, so it looks
# the same as a run one by one. A test that ever needs the machine to itself goes in `alone`:
# those run one by one after the others.
set -u
build=${1:-build}
only=${2:-all}
export TZ='<-05>5'            # Bogotá, without needing tzdata
export RECAUDO_BIN="$build/recaudo"
export RECAUDO_START=1795359600 # 2026-11-22 10:00 -05:00: the demo data's "today"
jobs=${RUN_JOBS:-${VALGRIND_JOBS:-2}}
# started first: the slowest in timed runs (RUN_TIMES) of the build, under ASan and under
# valgrind (test_drawlist is the longest by far there); the crash tests mostly sleep
slow_first="test_drawlist test_sync test_crash.sh test_retention test_maint_pin test_display
  test_maint_log.sh test_maint_screens.sh test_maint_status.sh test_field_mode.sh
  test_maint_config.sh test_field_crash.sh test_journey test_maint_activity test_print_jobs"
alone=""
pass=0
fail=0
failed=""

count() { # $1 = name, $2 = exit code, $3 = output file
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$3" | tail -n 1)
  if [ -n "$line" ]; then
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
  else
    p=0; f=0
  fi
  if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  pass=$((pass + p)); fail=$((fail + f))
  if [ "$f" -ne 0 ]; then
    failed="$failed $1"
    echo "FAIL $1"; sed 's/^/    /' "$3" | tail -n 30
  else
    echo "ok   $1 ($p checks)"
  fi
}

tmp=$(mktemp -d /tmp/recaudo-tests-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export RUN_RES="$tmp/res" RUN_TMP="$tmp" RUN_VALGRIND="${VALGRIND:-0}"
mkdir -p "$RUN_RES"

# the tests, one a line "KIND NAME FILE [SIZE]", in the order of the report
{
  for t in "$build"/tests/test_*; do [ -x "$t" ] && echo "unit $(basename "$t") $t"; done
  if [ "$only" = all ]; then
    for s in tests/scenarios/*.script assets/demo/tour.script; do
      for size in ${RECAUDO_SIZES:-1080x1920 1280x800}; do echo "scen $(basename "$s" .script)@$size $s $size"; done
    done
    for t in tests/sh/test_*.sh; do [ -f "$t" ] && echo "sh $(basename "$t") $t"; done
  fi
} >"$tmp/list"

# one test: its output to $RUN_RES/NAME.out, then its exit code to NAME.rc (written last)
one='kind=$1 name=$2 o=$RUN_RES/$2
date +%s%N >"$o.t0"
case $kind in
unit)
  if [ "$RUN_VALGRIND" = 1 ]; then
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      --suppressions=tests/valgrind.supp "$3" >"$o.out" 2>&1
  else
    "$3" >"$o.out" 2>&1
  fi ;;
scen)
  d=$RUN_TMP/$name
  mkdir -p "$d" && "$RECAUDO_BIN" --headless --demo --data "$d/data" --size "$4" \
    --start "$RECAUDO_START" --script "$3" --shots "$d/shots" >"$o.out" 2>&1 &&
    echo "1 passed, 0 failed" >>"$o.out" ;;
sh)
  sh "$3" "$RUN_TMP/${name%.sh}" >"$o.out" 2>&1 ;;
esac
rc=$?
echo "$(($(date +%s%N) / 1000000 - $(cat "$o.t0") / 1000000))" >"$o.ms"
echo $rc >"$o.rc.part" && mv "$o.rc.part" "$o.rc"'

# the parallel batch, slowest first, then the tests that run alone
awk -v slow="$slow_first" -v alone=" $alone " '
  BEGIN { n = split(slow, s, /[ \n]+/); for (i = 1; i <= n; i++) if (s[i] != "") rank[s[i]] = i }
  index(alone, " " $2 " ") == 0 { print (($2 in rank) ? rank[$2] : 1000), NR, $0 }' "$tmp/list" |
  sort -k1,1n -k2,2n | cut -d' ' -f3- >"$tmp/batch"
awk -v alone=" $alone " 'index(alone, " " $2 " ") > 0' "$tmp/list" >"$tmp/serial"

# the report, in the list's order, as the results come in (in the background, so that the
# tests run in the foreground and an interrupt stops them); its sums go to $tmp/sums
(
  while read -r kind name rest; do
    while [ ! -f "$RUN_RES/$name.rc" ] && [ ! -f "$tmp/done" ]; do
      kill -0 $$ 2>/dev/null || exit 1
      sleep 0.1
    done
    [ -f "$RUN_RES/$name.out" ] || echo "not run" >"$RUN_RES/$name.out"
    count "$name" "$(cat "$RUN_RES/$name.rc" 2>/dev/null || echo 1)" "$RUN_RES/$name.out"
  done <"$tmp/list"
  printf '%s\n%s\n%s\n' "$pass" "$fail" "$failed" >"$tmp/sums"
) &
reporter=$!
xargs -r -P "$jobs" -L 1 sh -c "$one" sh <"$tmp/batch"
xargs -r -L 1 sh -c "$one" sh <"$tmp/serial"
: >"$tmp/done"
wait "$reporter"
{ read -r pass; read -r fail; IFS= read -r failed; } <"$tmp/sums" 2>/dev/null || { pass=0; fail=1; failed=" (report)"; }

echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
# RUN_TIMES=FILE: each test's wall time, the slowest first (for slow_first above)
if [ -n "${RUN_TIMES:-}" ]; then
  while read -r kind name rest; do
    ms=$(cat "$RUN_RES/$name.ms" 2>/dev/null || echo 0)
    printf '%d.%03d %s\n' $((ms / 1000)) $((ms % 1000)) "$name"
  done <"$tmp/list" | sort -rn >"$RUN_TIMES"
fi
# `make check` adds up its runs (RECAUDO_SUMMARY: a file that gets "PASS FAIL" appended)
[ -z "${RECAUDO_SUMMARY:-}" ] || echo "$pass $fail" >>"$RECAUDO_SUMMARY"
[ "$fail" -eq 0 ]
