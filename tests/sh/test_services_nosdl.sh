#!/bin/sh
# Services without SDL (issue 8): the compiled services and flow (app/services.o, app/flow.o)
# leave no SDL or SDL_ttf symbol undefined, while the SDL platform (app/platform.o)
# does (so the check can see one). And test_services (the services opened, a lookup through
# the worker, closed: tests/unit/test_services.c) linked without SDL's libraries misses only
# what the ESC/POS preview renderer in drivers/ (escpos_render, escpos_font: the virtual
# printer's PNG) takes from SDL_ttf — nothing from app/.
# Usage: test_services_nosdl.sh TMPDIR   (RECAUDO_BIN comes from tests/run.sh; RECAUDO_LDFLAGS
# from `make asan`: the link flags the objects were built for, e.g. the sanitizers' runtime)
set -u
t=$1
build=$(dirname "${RECAUDO_BIN:-build/recaudo}")
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

sdl_undefined() { nm -u "$1" | grep -E ' (SDL|TTF|IMG)_' ; }

for o in app/services.o app/flow.o; do
  if [ -f "$build/$o" ]; then
    sdl_undefined "$build/$o" >"$t/nm.out"
    check '[ ! -s "$t/nm.out" ]' "$o needs SDL: $(tr '\n' ' ' <"$t/nm.out")"
  else
    bad "$build/$o not built"
  fi
done
sdl_undefined "$build/app/platform.o" >"$t/nm.out"
check '[ -s "$t/nm.out" ]' "app/platform.o shows no SDL symbol: the nm check sees nothing"

# the link without SDL: the libraries of config.mk's PKGS but sdl2 and SDL2_ttf
pkgs=$(sed -n 's/^PKGS *:= *//p' config.mk | tr ' ' '\n' | grep -vi '^sdl' | tr '\n' ' ')
extra=$(sed -n 's/^EXTRA_LIBS *:= *//p' config.mk)
# shellcheck disable=SC2086 # the library lists are split on purpose
${CC:-cc} ${RECAUDO_LDFLAGS:-} -o "$t/test_services" "$build/tests/unit/test_services.o" "$build/librecaudo.a" \
  $extra $(pkg-config --libs $pkgs) -lpthread -lm >"$t/ld.out" 2>&1
sed -n 's/.*librecaudo\.a(\([^)]*\)): in function.*/\1/p' "$t/ld.out" | sort -u >"$t/objs"
check '[ -s "$t/objs" ] && ! grep -qv "^escpos_\(render\|font\)\.o$" "$t/objs"' \
  "without SDL's libraries only the ESC/POS preview may be missing it; objects: $(tr '\n' ' ' <"$t/objs")"
grep 'undefined reference' "$t/ld.out" | grep -v "undefined reference to \`\(SDL\|TTF\)_" >"$t/other"
check '[ ! -s "$t/other" ]' "the link misses more than SDL: $(head -3 "$t/other")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
