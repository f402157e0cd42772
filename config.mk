# Build settings for Recaudo. Override on the command line: make CC=clang
CC      ?= cc
BUILD   ?= build
OPT     ?= -O2
PKGS    := sdl2 SDL2_ttf SDL2_image libqrencode libcjson inih sqlite3 libcrypto libpng libcurl libmicrohttpd
# Libraries without a pkg-config file on Debian 12: libzint-dev ships none (GS1-128 barcode).
# Added to LDLIBS here; the Makefile appends the pkg-config libraries after them.
EXTRA_LIBS := -lzint
LDLIBS  += $(EXTRA_LIBS)
# Debian packages that provide the above, plus the tools the tests use.
DEBS    := build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev \
           libqrencode-dev libcjson-dev libinih-dev libsqlite3-dev libssl-dev libpng-dev \
           libcurl4-openssl-dev libmicrohttpd-dev libzint-dev fonts-dejavu-core zbar-tools openssl \
           strace python3-jsonschema python3-yaml
CHECK_DEBS := cppcheck valgrind clang
CFLAGS_BASE := -std=c17 -Wall -Wextra -Werror -g -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
           -Icore -Iapp -Idrivers -Ioffline
