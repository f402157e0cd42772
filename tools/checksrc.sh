#!/bin/sh
# Static checks for `make check`, in the spirit of curl's checksrc:
#   1. banned functions: a call to one of BANNED in a .c/.h under core app drivers offline tools tests
#      (comments and string literals are skipped; a line carrying the comment
#      "checksrc: allow" is exempt, for the rare call that has been argued for in review);
#   2. cppcheck (warning, portability, performance) over core app drivers offline tools;
#   3. every source file ends with a newline;
#   4. the layers: core/ includes only core/ headers, libc and OpenSSL; offline/ and drivers/
#      include nothing from app/; the files that must stay SDL-free — app/services*.[ch] (the
#      store and the workers) and app/flow.[ch] (the pure customer journey) — reach no <SDL*>
#      header, directly or through the project headers they include.
#      No include by a relative path ("../") anywhere: the build compiles each layer with only
#      the include paths it may use (config.mk INC_*), and a relative path would step around it;
#   5. size: a .c/.h under core app drivers offline over 600 lines is named, with its reason, in
#      the "Files over 600 lines" section of docs/architecture.md, and every file named there is
#      over 600 lines (the list stays true).
# Prints what it checked and exits non-zero if anything was found.
# Usage: tools/checksrc.sh    (from anywhere; it works at the top of the tree)
# shellcheck disable=SC2086 # $DIRS, $srcs, $supp are split on purpose: no spaces in names
set -u
cd "$(dirname "$0")/.." || exit 2

DIRS="core app drivers offline tools tests"
CPPCHECK_DIRS="core app drivers offline tools"
# name:what to use instead
BANNED="strcpy:snprintf, or memcpy with a checked length
strcat:snprintf into a bounded buffer
sprintf:snprintf
vsprintf:vsnprintf
gets:fgets
atoi:strtol with an end pointer and a range check
atol:strtol with an end pointer and a range check
atof:strtod with an end pointer
system:fork/exec or posix_spawn with an argument vector (no shell)
strtok:strtok_r, or strcspn/strspn
tmpnam:mkstemp or mkdtemp
rand:a seeded PRNG owned by the caller, or getrandom() for anything secret"

# Known cppcheck findings to suppress, one "rule:file" per line (none today). Each entry must
# say why it is a false positive.
KNOWN=""

findings=0
srcs=$(find $DIRS -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
nsrcs=$(printf '%s\n' "$srcs" | grep -c .)

# 1. Banned functions.
names=$(printf '%s\n' "$BANNED" | cut -d: -f1 | paste -sd'|' -)
out=$(awk -v names="$names" -v banned="$BANNED" '
BEGIN {
	n = split(banned, rows, "\n")
	for (i = 1; i <= n; i++) {
		c = index(rows[i], ":")
		use[substr(rows[i], 1, c - 1)] = substr(rows[i], c + 1)
	}
	# a call: the name, not preceded by an identifier character, "." or "->", then "("
	re = "(^|[^A-Za-z0-9_.>]|[^-]>)(" names ")[ \t]*\\("
}
FNR == 1 { incomment = 0 }
{
	line = $0; code = ""; i = 1; len = length(line)
	while (i <= len) {
		if (incomment) {
			j = index(substr(line, i), "*/")
			if (j == 0) { i = len + 1; break }
			incomment = 0; i += j + 1; code = code " "; continue
		}
		ch = substr(line, i, 1); two = substr(line, i, 2)
		if (two == "/*") { incomment = 1; i += 2; continue }
		if (two == "//") break
		if (ch == "\"" || ch == "'\''") {
			# skip the literal, honouring backslash escapes
			q = ch; i++
			while (i <= len && substr(line, i, 1) != q)
				i += substr(line, i, 1) == "\\" ? 2 : 1
			i++; code = code q q; continue
		}
		code = code ch; i++
	}
	if (line ~ /checksrc: allow/)
		next
	rest = code
	while (match(rest, re)) {
		hit = substr(rest, RSTART, RLENGTH)
		sub(/^[^A-Za-z_]/, "", hit); sub(/[ \t]*\($/, "", hit)
		printf "%s:%d: banned function %s(): use %s\n    %s\n", FILENAME, FNR, hit, use[hit], line
		rest = substr(rest, RSTART + RLENGTH)
	}
}' $srcs) || { echo "checksrc: banned-function scan failed to run"; exit 2; }
if [ -n "$out" ]; then
	printf '%s\n' "$out"
	nb=$(printf '%s\n' "$out" | grep -c 'banned function')
	echo "checksrc: banned functions: $nb found in $nsrcs files"
	findings=$((findings + nb))
else
	echo "checksrc: banned functions ($(printf '%s' "$names" | tr '|' ' ')): none in $nsrcs files"
fi

# 2. cppcheck.
if ! command -v cppcheck >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	echo "checksrc: installing cppcheck"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cppcheck >/dev/null
fi
if command -v cppcheck >/dev/null 2>&1; then
	# SDL's headers let cppcheck parse compound literals such as &(SDL_Rect){...}; the rest of
	# the system headers only slow it down. The defines are the build's (config.mk).
	sdl_inc=$(pkg-config --cflags-only-I sdl2 2>/dev/null)
	supp=$(printf '%s\n' "$KNOWN" | grep . | sed 's/^/--suppress=/')
	out=$(cppcheck --std=c11 --library=posix --enable=warning,portability,performance \
		--error-exitcode=1 --inline-suppr -q $supp \
		-Iapp -Idrivers -Ioffline $sdl_inc -D_REENTRANT -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
		$CPPCHECK_DIRS 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out"
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		echo "checksrc: cppcheck $(cppcheck --version | sed 's/^Cppcheck //') over $CPPCHECK_DIRS: clean" \
			"($(printf '%s\n' "$KNOWN" | grep -c .) known findings suppressed, see tools/checksrc.sh)"
	else
		nc=$(printf '%s\n' "$out" | grep -c '\]$')
		[ "$nc" -eq 0 ] && nc=1
		echo "checksrc: cppcheck: $nc findings in $CPPCHECK_DIRS"
		findings=$((findings + nc))
	fi
else
	echo "checksrc: cppcheck not installed, SKIPPED (sudo apt-get install cppcheck)"
fi

# 3. Trailing newline.
files=$(find $DIRS -type f \( -name '*.[ch]' -o -name '*.def' -o -name '*.sh' -o -name '*.script' \
	-o -name '*.supp' \) | LC_ALL=C sort)
nfiles=0
nonl=0
for f in $files Makefile config.mk; do
	nfiles=$((nfiles + 1))
	if [ -s "$f" ] && [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" != '\n' ]; then
		echo "$f: no newline at end of file"
		nonl=$((nonl + 1))
	fi
done
echo "checksrc: trailing newline: $nonl missing in $nfiles files"
findings=$((findings + nonl))

# 4. Layers (docs/architecture.md): dependencies point one way, app -> offline, drivers -> core.
#    core/ includes only core/ headers, libc and OpenSSL; offline/ and drivers/ include nothing
#    that lives in app/.
layer=0
for f in $(find core -type f -name '*.[ch]' | LC_ALL=C sort); do
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		if [ ! -f "core/$h" ]; then
			echo "$f: includes \"$h\", which is not in core/ (core/ depends on nothing above it)"
			layer=$((layer + 1))
		fi
	done
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f"); do
		case "$h" in
		SDL* | sqlite3.h | curl/* | cjson/* | cJSON* | ini.h | microhttpd.h | qrencode.h | zint.h | png.h)
			echo "$f: includes <$h>: core/ is pure C (libc and OpenSSL only)"
			layer=$((layer + 1)) ;;
		esac
	done
done
for f in $(find offline drivers -type f -name '*.[ch]' | LC_ALL=C sort); do
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		if [ -f "app/$h" ] && [ ! -f "$(dirname "$f")/$h" ]; then
			echo "$f: includes \"$h\" from app/ (offline/ and drivers/ never include from app/)"
			layer=$((layer + 1))
		fi
	done
done
# An include by relative path would step around the per-directory include paths the build
# compiles each layer with (config.mk INC_*): none anywhere.
for f in $(find core app drivers offline tools tests -type f -name '*.[ch]' | LC_ALL=C sort); do
	if grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*\.\./' "$f" >/dev/null; then
		echo "$f: includes a header by a relative path (\"../\"): name it; the build's include paths decide what each layer sees"
		layer=$((layer + 1))
	fi
done
# The SDL-free files: follow their "..." includes through the tree; none may reach <SDL*>.
SDL_FREE=$(find app -type f \( -name 'services*.[ch]' -o -name 'flow.[ch]' \) | LC_ALL=C sort)
for f in $SDL_FREE; do
	todo=$f seen=" $f "
	while [ -n "$todo" ]; do
		set -- $todo
		cur=$1
		shift
		todo=$*
		if grep -q '^[[:space:]]*#[[:space:]]*include[[:space:]]*<SDL' "$cur"; then
			echo "$f: reaches <SDL*> through $cur (services and flow stay without SDL)"
			layer=$((layer + 1))
			break
		fi
		for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$cur"); do
			for d in "$(dirname "$cur")" core app drivers offline; do
				[ -f "$d/$h" ] || continue
				case $seen in *" $d/$h "*) ;; *) seen="$seen$d/$h " todo="$todo $d/$h" ;; esac
				break
			done
		done
	done
done
echo "checksrc: layers: $layer includes against the direction app -> offline, drivers -> core" \
	"or bringing SDL into $(printf '%s\n' "$SDL_FREE" | grep -c .) SDL-free files"
findings=$((findings + layer))

# 5. Size: small modules with one job. A file over MAX_LINES says why in docs/architecture.md.
MAX_LINES=600
big=0
nbig=0
reasons=$(sed -n '/^## Files over 600 lines/,/^## /p' docs/architecture.md)
for f in $(find core app drivers offline -type f -name '*.[ch]' | LC_ALL=C sort); do
	n=$(wc -l <"$f")
	[ "$n" -le "$MAX_LINES" ] && continue
	nbig=$((nbig + 1))
	if ! printf '%s\n' "$reasons" | grep -q "\`$f\`"; then
		echo "$f: $n lines, over $MAX_LINES and not explained in docs/architecture.md (\"Files over 600 lines\")"
		big=$((big + 1))
	fi
done
# and the list stays true: a file named there that has shrunk (or gone) leaves it
for f in $(printf '%s\n' "$reasons" | grep -o '`[a-z]*/[A-Za-z0-9_]*\.[ch]`' | tr -d '`' | sort -u); do
	if [ ! -f "$f" ] || [ "$(wc -l <"$f")" -le "$MAX_LINES" ]; then
		echo "docs/architecture.md: \"Files over 600 lines\" names $f, which is not over $MAX_LINES lines: take it off the list"
		big=$((big + 1))
	fi
done
echo "checksrc: size: $nbig files over $MAX_LINES lines, $big without a true reason in docs/architecture.md"
findings=$((findings + big))

if [ "$findings" -ne 0 ]; then
	echo "checksrc: FAILED ($findings findings)"
	exit 1
fi
echo "checksrc: ok"
