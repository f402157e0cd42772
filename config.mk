# Build settings for Recaudo. Override on the command line: make CC=clang
CC      ?= cc
BUILD   ?= build
OPT     ?= -O2
PKGS    := sdl2 SDL2_ttf libqrencode libcjson inih sqlite3 libcrypto libpng libcurl libmicrohttpd libargon2 espeak-ng libsystemd
# Libraries without a pkg-config file on Debian 12: libzint-dev ships none (GS1-128 barcode).
# Added to LDLIBS here; the Makefile appends the pkg-config libraries after them.
EXTRA_LIBS := -lzint
LDLIBS  += $(EXTRA_LIBS)
# Debian packages that provide the above, plus the tools the tests use.
DEBS    := build-essential pkg-config libsdl2-dev libsdl2-ttf-dev \
           libqrencode-dev libcjson-dev libinih-dev libsqlite3-dev libssl-dev libpng-dev \
           libcurl4-openssl-dev libmicrohttpd-dev libzint-dev fonts-dejavu-core zbar-tools openssl \
           strace python3-jsonschema python3-yaml libargon2-dev \
           libespeak-ng-dev espeak-ng-data libsystemd-dev systemd
CHECK_DEBS := cppcheck valgrind clang
# The release's date (YYYYMMDD), set when a release is cut, not the compile time: a kiosk
# clock before it is clearly wrong (out of service, docs/operations.md). The tests' virtual
# clock starts on 2026-11-22, so it must not be later than that until they move.
BUILD_DATE ?= 20261101
CFLAGS_BASE := -std=c17 -Wall -Wextra -Werror -g -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
           -DRECAUDO_BUILD_DATE=$(BUILD_DATE)
# The layers (docs/architecture.md) as include paths: each directory is compiled seeing only
# the headers it may use, so an include against the direction app -> offline, drivers -> core
# does not compile. The app, the tools and the tests see everything.
INC_ALL     := -Icore -Iapp -Idrivers -Ioffline
INC_core    := -Icore
INC_offline := -Icore -Ioffline
INC_drivers := -Icore -Idrivers
