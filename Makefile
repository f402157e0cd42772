# Recaudo — one flat Makefile. Targets: all run demo test check asan bench demo-data format clean
#   contract-lint; deb (image/deb.mk); image bundle image-test (image/image.mk)
include config.mk

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= $(OPT)
INC     := $(INC_ALL)
CFLAGS  += $(CFLAGS_BASE) $(INC) $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lpthread -lm

LIB_SRCS  := $(filter-out app/main.c,$(wildcard core/*.c app/*.c drivers/*.c offline/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS := $(wildcard tests/unit/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BINS := $(BUILD)/gen-portfolio $(BUILD)/bench $(BUILD)/central-sim $(BUILD)/kiosk-driver \
             $(BUILD)/sync-audit $(BUILD)/fake-printer $(BUILD)/field-driver
SIM_OBJS  := $(patsubst %.c,$(BUILD)/%.o,tools/central-sim.c $(wildcard tools/sim_*.c))
BIN       := $(BUILD)/recaudo

.PHONY: all run demo test check asan valgrind bench stress deps format clean
all: $(BIN) $(TOOL_BINS) $(TEST_BINS)

deps:
	@sh tools/deps.sh $(DEBS)

# the package and the kiosk image (image/README.md)
include image/deb.mk image/image.mk

$(BUILD)/core/%.o: INC := $(INC_core)
$(BUILD)/offline/%.o: INC := $(INC_offline)
$(BUILD)/drivers/%.o: INC := $(INC_drivers)
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/librecaudo.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/app/main.o $(BUILD)/librecaudo.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/gen-portfolio: $(BUILD)/tools/gen-portfolio.o $(BUILD)/librecaudo.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bench: $(BUILD)/tools/bench.o $(BUILD)/tools/bench_field.o $(BUILD)/librecaudo.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The central simulator (docs/central-sim.md): HTTPS on 127.0.0.1 with libmicrohttpd.
$(BUILD)/central-sim: $(SIM_OBJS) $(BUILD)/librecaudo.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# test_sim starts the simulator it was built with
$(BUILD)/tests/test_sim: | $(BUILD)/central-sim
$(BUILD)/tests/test_sim_field: | $(BUILD)/central-sim $(BUILD)/kiosk-driver
# test_sync's field case runs the store-vs-server audit (tests/sync/17-field-offline-days.case)
$(BUILD)/tests/test_sync: | $(BUILD)/sync-audit

# A kiosk without a screen (docs/sync-tests.md), and the store-vs-server audit after a run.
$(BUILD)/kiosk-driver: $(BUILD)/tools/kiosk-driver.o $(BUILD)/tools/kiosk-driver-field.o $(BUILD)/librecaudo.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/sync-audit: $(BUILD)/tools/sync-audit.o $(BUILD)/tools/sync-audit-field.o $(BUILD)/librecaudo.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# A field tablet without a screen, for tests/sh/test_field_crash.sh.
$(BUILD)/field-driver: $(BUILD)/tools/field-driver.o $(BUILD)/librecaudo.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# the sync cases and security tests start the simulator and the driver
$(BUILD)/tests/test_sync $(BUILD)/tests/test_sync_security $(BUILD)/tests/test_online: | $(BUILD)/central-sim $(BUILD)/kiosk-driver
$(BUILD)/tests/test_field_agents_sim: | $(BUILD)/central-sim $(BUILD)/kiosk-driver

# A pretend ESC/POS printer on a pty (docs/printing.md), standalone; test_transport starts it.
$(BUILD)/fake-printer: $(BUILD)/tools/fake-printer.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(BUILD)/tests/test_transport: | $(BUILD)/fake-printer

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/librecaudo.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The kiosk on the demo store. Without a display it runs the scripted tour headless.
run: deps
	@$(MAKE) --no-print-directory $(BIN)
	@sh tools/run.sh $(BIN)

# The kiosk against the central simulator over HTTPS on 127.0.0.1: certificates, a device
# secret and a kiosk INI in data/demo-central/ (made once, kept); the simulator stops when
# the kiosk exits. Without a display the kiosk runs the demo tour headless.
DEMO_DIR := data/demo-central
demo: deps
	@$(MAKE) --no-print-directory $(BIN) $(BUILD)/central-sim
	@set -eu; d=$(DEMO_DIR); mkdir -p "$$d"; \
	[ -s "$$d/server.pem" ] || sh tools/gen-cert.sh "$$d" >/dev/null; \
	[ -s "$$d/device.secret" ] || (umask 077; head -c 32 /dev/urandom >"$$d/device.secret"); \
	[ -s "$$d/kiosk.key" ] || (umask 077; head -c 32 /dev/urandom >"$$d/kiosk.key"); \
	[ -s "$$d/cert.key" ] || (umask 077; openssl genpkey -algorithm ed25519 -out "$$d/cert.key"); \
	openssl pkey -in "$$d/cert.key" -pubout -out "$$d/cert.pub"; \
	rm -f "$$d/port"; mkdir -p "$$d/messages"; \
	$(BUILD)/central-sim --listen 127.0.0.1:0 --tls "$$d/server.pem" "$$d/server.key" \
	  --db "$$d/central.db" --seed assets/demo/portfolio.json \
	  --device "K0001:$$d/device.secret:$$d/kiosk.key:1" --port-file "$$d/port" \
	  --accounts assets/demo/accounts.json --cert-key "$$d/cert.key" --message-dir "$$d/messages" \
	  2>"$$d/central-sim.log" & sim=$$!; \
	trap 'kill $$sim 2>/dev/null || true; wait $$sim 2>/dev/null || true' EXIT INT TERM; \
	i=0; while [ ! -s "$$d/port" ]; do \
	  i=$$((i + 1)); kill -0 $$sim 2>/dev/null && [ $$i -le 100 ] || \
	    { echo "demo: the simulator did not start:"; cat "$$d/central-sim.log"; exit 1; }; \
	  sleep 0.1; done; \
	port=$$(cat "$$d/port"); dir=$$(cd "$$d" && pwd); \
	printf '%s\n' '[kiosk]' 'id = 1' '' '[security]' "qr_key_file = $$dir/kiosk.key" '' \
	  '[central]' "url = https://127.0.0.1:$$port" 'device_id = K0001' \
	  "secret_file = $$dir/device.secret" "ca_file = $$dir/ca.pem" \
	  "pinned_key = $$(cat "$$d/pin.txt")" '' '[services]' "certificate_key = $$dir/cert.pub" >"$$d/kiosk.ini"; \
	echo "demo: central simulator on https://127.0.0.1:$$port (log: $$d/central-sim.log, config: $$d/kiosk.ini)"; \
	if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  $(BIN) --demo --config "$$d/kiosk.ini" --data "$$d/kiosk"; \
	else \
	  echo "demo: no display found; running the demo tour headless (screenshots in $$d/shots)"; \
	  $(BIN) --headless --demo --config "$$d/kiosk.ini" --data "$$d/kiosk" \
	    --script assets/demo/tour.script --shots "$$d/shots"; \
	fi

# test and asan build with two jobs unless make was given -j (.ci/run calls plain `make test`)
BUILD_JOBS = $(if $(findstring -j,$(MAKEFLAGS)),,-j2)
test: deps
	@$(MAKE) --no-print-directory $(BUILD_JOBS) all
	@sh tests/run.sh $(BUILD)

# Sanitizers (ASan+UBSan) and valgrind over the whole suite, plus static checks.
# GCC's "undefined" leaves out the float checks; any report fails the test that hit it.
# Under ASan every test runs, some shorter (`make test` runs them in full), to keep CI in time:
# the headless scenarios, the field day and the Registro at 1280x800 only (RECAUDO_SIZES; the
# layout at every size runs under ASan in test_drawlist and test_field_screens), and the crash
# tests with half their kills (the same recovery code each time; the kill instants are what
# the full count is for).
SANITIZE := -fsanitize=address,undefined,float-divide-by-zero,float-cast-overflow
asan:
	@$(MAKE) --no-print-directory $(BUILD_JOBS) BUILD=build-asan OPT="-O1 -fno-omit-frame-pointer $(SANITIZE) -fno-sanitize-recover=all" LDFLAGS="$(SANITIZE)" all
	@RECAUDO_LDFLAGS="$(SANITIZE)" ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1 \
	 UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS=suppressions=tests/lsan.supp:print_suppressions=0 \
	 RECAUDO_SIZES=1280x800 CRASH_ITERATIONS=100 FIELD_CRASH_ITERATIONS=30 sh tests/run.sh build-asan

valgrind: all
	@VALGRIND=1 sh tests/run.sh $(BUILD) unit

# libFuzzer over the central API's response parsers (tests/fuzz/fuzz_api.c), built by clang
# from the sources, not from the gcc-built library. fuzz-run is the short run `check` does:
# new inputs go to build-fuzz/corpus, the seeds in tests/fuzz/corpus are only read.
.PHONY: fuzz fuzz-run
FUZZ_SRCS := tests/fuzz/fuzz_api.c offline/api_parse.c offline/api_events.c offline/api_agents_parse.c \
             offline/api_account_parse.c offline/api_account_services.c offline/json_field.c offline/wire.c \
             core/money.c core/idnum.c core/domain.c core/account.c
build-fuzz/fuzz_api: $(FUZZ_SRCS) $(wildcard offline/*.h core/*.h app/*.h)
	@mkdir -p $(dir $@)
	clang $(CFLAGS_BASE) $(INC_offline) -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  $(shell pkg-config --cflags libcjson) -o $@ $(FUZZ_SRCS) $(shell pkg-config --libs libcjson)

fuzz: build-fuzz/fuzz_api

fuzz-run: fuzz
	@mkdir -p build-fuzz/corpus
	@build-fuzz/fuzz_api -max_total_time=20 -timeout=5 -rss_limit_mb=2048 -artifact_prefix=build-fuzz/ \
	  build-fuzz/corpus tests/fuzz/corpus >build-fuzz/fuzz.log 2>&1 \
	  && echo "fuzz: api parsers: $$(grep '^Done' build-fuzz/fuzz.log)" \
	  || { tail -n 40 build-fuzz/fuzz.log; echo "fuzz: FAILED (input saved in build-fuzz/)"; exit 1; }

# Ends with one closing line over its runs: the suite under ASan/UBSan and under valgrind,
# plus one check each for the source checks, the contract lint and the fuzz run (any failure
# stops it before that line, with the failing run's own report).
CHECK_SUMMARY := build/check-summary
check: deps
	@sh tools/deps.sh $(CHECK_DEBS)
	@mkdir -p build && : >$(CHECK_SUMMARY)
	@sh tools/checksrc.sh && echo "1 0" >>$(CHECK_SUMMARY)
	@$(MAKE) --no-print-directory contract-lint && echo "1 0" >>$(CHECK_SUMMARY)
	@RECAUDO_SUMMARY=$(CURDIR)/$(CHECK_SUMMARY) $(MAKE) --no-print-directory asan
	@RECAUDO_SUMMARY=$(CURDIR)/$(CHECK_SUMMARY) $(MAKE) --no-print-directory valgrind
	@$(MAKE) --no-print-directory fuzz-run && echo "1 0" >>$(CHECK_SUMMARY)
	@echo; echo "check: source checks, contract lint, suite under ASan/UBSan and valgrind, fuzz run"
	@awk '{ p += $$1; f += $$2 } END { printf "%d passed, %d failed\n", p, f; exit f != 0 }' $(CHECK_SUMMARY)

# The API contract (docs/api/openapi.yaml, OpenAPI 3.1) linted by the Redocly CLI, a pinned
# version installed from npm into build-tools/redocly once (Node.js and npm from the machine,
# else Debian's); the lint itself needs no network and sends no telemetry.
REDOCLY_VERSION := 1.34.20
REDOCLY := build-tools/redocly/node_modules/.bin/redocly
.PHONY: contract-lint
contract-lint:
	@command -v npm >/dev/null 2>&1 || sh tools/deps.sh nodejs npm
	@[ -x $(REDOCLY) ] && [ "$$(REDOCLY_TELEMETRY=off $(REDOCLY) --version)" = $(REDOCLY_VERSION) ] || \
	  REDOCLY_TELEMETRY=off npm install --no-save --no-audit --no-fund --loglevel=error \
	    --prefix build-tools/redocly @redocly/cli@$(REDOCLY_VERSION)
	@REDOCLY_TELEMETRY=off $(REDOCLY) lint --format=stylish docs/api/openapi.yaml

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tools/bench.sh $(BUILD)

# The crash test of `make test` (tests/sh/test_crash.sh) with 10,000 kills instead of 200;
# a failed run keeps its logs and databases.
stress: deps
	@$(MAKE) --no-print-directory all
	@d=$$(mktemp -d /tmp/recaudo-stress-XXXXXX); \
	CRASH_ITERATIONS=$${CRASH_ITERATIONS:-10000} RECAUDO_BIN=$(BUILD)/recaudo \
	  sh tests/sh/test_crash.sh "$$d/crash" && rm -rf "$$d" || { echo "stress: kept $$d"; exit 1; }

format:
	clang-format -i core/*.[ch] app/*.[ch] drivers/*.[ch] offline/*.[ch] tools/*.c tests/unit/*.[ch]

clean:
	rm -rf build build-asan build-fuzz build-tools

# keep test objects between builds (they are intermediate files to make)
.SECONDARY:

-include $(shell find $(BUILD) -path $(BUILD)/image-test -prune -o -path $(IMAGE_OUT) -prune -o -type f -name '*.d' -print 2>/dev/null)
