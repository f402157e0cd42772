# Recaudo — one flat Makefile. Targets: all run test check asan bench demo-data format clean
include config.mk

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= $(OPT)
CFLAGS  += $(CFLAGS_BASE) $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lpthread -lm

LIB_SRCS  := $(filter-out app/main.c,$(wildcard app/*.c drivers/*.c offline/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS := $(wildcard tests/unit/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BINS := $(BUILD)/gen-portfolio $(BUILD)/bench
BIN       := $(BUILD)/recaudo

.PHONY: all run test check asan valgrind bench deps format clean
all: $(BIN) $(TOOL_BINS) $(TEST_BINS)

deps:
	@sh tools/deps.sh $(DEBS)

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

$(BUILD)/bench: $(BUILD)/tools/bench.o $(BUILD)/librecaudo.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/librecaudo.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The kiosk on the demo store. Without a display it runs the scripted tour headless.
run: deps
	@$(MAKE) --no-print-directory $(BIN)
	@sh tools/run.sh $(BIN)

test: deps
	@$(MAKE) --no-print-directory all
	@sh tests/run.sh $(BUILD)

# Sanitizers (ASan+UBSan) and valgrind over the whole suite, plus static checks.
# GCC's "undefined" leaves out the float checks; any report fails the test that hit it.
asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined,float-divide-by-zero,float-cast-overflow -fno-sanitize-recover=all" LDFLAGS="-fsanitize=address,undefined,float-divide-by-zero,float-cast-overflow" all
	@ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1 \
	 UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS=suppressions=tests/lsan.supp:print_suppressions=0 \
	 sh tests/run.sh build-asan

valgrind: all
	@VALGRIND=1 sh tests/run.sh $(BUILD) unit

check: deps
	@sh tools/deps.sh $(CHECK_DEBS)
	@sh tools/checksrc.sh
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory valgrind

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tools/bench.sh $(BUILD)

format:
	clang-format -i app/*.[ch] drivers/*.[ch] offline/*.[ch] tools/*.c tests/unit/*.[ch]

clean:
	rm -rf build build-asan

# keep test objects between builds (they are intermediate files to make)
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
