# nomdesk: one binary, layered static archives (core, keys, tui, ssh) and a
# thin cli/ on top.  `make lint` keeps the layers honest.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man/man1
LOCALEDIR_INST = $(PREFIX)/share/locale

CC       ?= cc
PKGS      = libssh ncursesw sqlite3 libsodium libutf8proc json-c
# Spreadsheets (core/import.c, core/export.c): freexl reads .xls, minizip
# and libxml2 read .xlsx, libxlsxwriter writes it; libcsv has no .pc file.
# minizip's -I/usr/include/minizip is dropped (its crypt.h and zip.h would
# shadow others'); the code includes <minizip/unzip.h>.
PKGS     += freexl minizip libxml-2.0 xlsxwriter
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE -I%/minizip,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv
VTERM_CFLAGS := $(shell pkg-config --cflags vterm 2>/dev/null)
VTERM_LIBS   := $(shell pkg-config --libs vterm 2>/dev/null)

WARN  = -Wall -Wextra -Wpedantic -Wformat=2 -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wvla -Wimplicit-fallthrough
ifneq ($(CI),)
WARN += -Werror
endif
ifneq ($(WERROR),)
WARN += -Werror
endif

STD   = -std=c11 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 \
        -D_DEFAULT_SOURCE -DNCURSES_WIDECHAR=1

ifeq ($(SANITIZE),1)
BUILD ?= build-san
OPT   = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
        -fno-sanitize-recover=all
LDOPT = -fsanitize=address,undefined
else
BUILD ?= build
OPT   = -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
LDOPT = -pie -Wl,-z,relro,-z,now
endif

CFLAGS_ALL = $(STD) $(OPT) $(WARN) -I. $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(LDOPT) $(LDFLAGS)

CORE_SRC = $(wildcard core/*.c)
KEYS_SRC = $(wildcard keys/*.c)
TUI_SRC  = $(wildcard tui/*.c)
SSH_SRC  = $(wildcard ssh/*.c)
CLI_SRC  = $(wildcard cli/*.c)
SCHEMA   = $(sort $(wildcard schema/*.sql))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

CORE_OBJ = $(call obj,$(CORE_SRC)) $(BUILD)/gen/schema.o
# The round definitions (rounds/*.json) compiled in for `nomdesk init`.
ROUNDS    = $(sort $(wildcard rounds/*.json))
CORE_OBJ += $(BUILD)/gen/rounds.o
KEYS_OBJ = $(call obj,$(KEYS_SRC))
TUI_OBJ  = $(call obj,$(TUI_SRC))
SSH_OBJ  = $(call obj,$(SSH_SRC))
CLI_OBJ  = $(call obj,$(CLI_SRC))

LIBS_A = $(BUILD)/libtui.a $(BUILD)/libssh_srv.a $(BUILD)/libcore.a $(BUILD)/libkeys.a

NOMDESK = $(BUILD)/nomdesk
MO      = $(BUILD)/locale/zh_CN/LC_MESSAGES/nomdesk.mo

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(BUILD)/tests/unit_tests
E2E_SRC  = $(wildcard tests/e2e/*.c)
E2E_BIN  = $(BUILD)/tests/e2e_tests
TLIB_SRC = tests/lib/runner.c tests/lib/runner_main.c tests/lib/fixture.c \
           tests/lib/faultvfs.c
VT_SRC   = tests/lib/vt.c tests/lib/sshclient.c tests/lib/desk.c \
           tests/lib/golden.c
# The e2e suite's own: the ssh/ layer as a stub server, a libssh client.
E2E_LIB  = tests/lib/stubsrv.c tests/lib/sshpw.c tests/lib/net.c


.PHONY: all check unit e2e golden run lint install clean bench deps demo fmt fuzz fuzz-long

all: $(NOMDESK) $(MO)

deps:
	@sh scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/gen/schema.c: $(SCHEMA) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $(SCHEMA) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/schema.o: $(BUILD)/gen/schema.c
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# rounds/*.json -> a C table of bytes (scripts/embed_rounds.sh).
$(BUILD)/gen/rounds.c: $(ROUNDS) scripts/embed_rounds.sh
	@mkdir -p $(dir $@)
	sh scripts/embed_rounds.sh $(ROUNDS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/rounds.o: $(BUILD)/gen/rounds.c core/core_int.h core/core.h
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libcore.a: $(CORE_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libkeys.a: $(KEYS_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libtui.a: $(TUI_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libssh_srv.a: $(SSH_OBJ)
	$(AR) rcs $@ $^

$(NOMDESK): $(CLI_OBJ) $(LIBS_A)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIBS_A) $(PKG_LIBS)

PO = $(sort $(wildcard po/*.zh_CN.po))
$(MO): $(PO)
	@mkdir -p $(dir $@)
	msgcat --use-first -o $(BUILD)/zh_CN.po $(PO)
	msgfmt --check -o $@ $(BUILD)/zh_CN.po

# cli/opt.c needs only libc: its unit tests link it alone rather than
# reaching its parser through the binary and stderr.
UNIT_CLI = cli/opt.c
$(UNIT_BIN): $(call obj,$(UNIT_SRC) $(TLIB_SRC) $(UNIT_CLI)) $(LIBS_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/lib/vt.o: tests/lib/vt.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(VTERM_CFLAGS) -MMD -MP -c $< -o $@

$(E2E_BIN): $(call obj,$(E2E_SRC) $(TLIB_SRC) $(VT_SRC) $(E2E_LIB)) $(LIBS_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(VTERM_LIBS) -lutil

unit: $(UNIT_BIN) $(NOMDESK) $(MO)
	$(UNIT_BIN)

e2e: $(E2E_BIN) $(NOMDESK) $(MO)
	NOMDESK_BIN=$(abspath $(NOMDESK)) $(E2E_BIN)

# Rewrites tests/golden/ from the screens as they are now (GOLDEN=filter
# picks tests by name); review the change with `git diff tests/golden`.
GOLDEN ?= golden
golden: $(E2E_BIN) $(NOMDESK) $(MO)
	NOMDESK_BIN=$(abspath $(NOMDESK)) \
	NOMDESK_LOCALEDIR=$(abspath $(BUILD)/locale) \
	NOMDESK_GOLDEN_UPDATE=1 $(E2E_BIN) $(GOLDEN)

check: $(UNIT_BIN) $(E2E_BIN) $(NOMDESK) $(MO)
	@sh scripts/lint.sh $(BUILD)
	@FUZZ_SECS=$(if $(filter 1,$(SANITIZE)),0,$(FUZZ_SECS)) sh scripts/check.sh $(BUILD)

# Fuzz smoke inside `make check` (the targets are ASan-instrumented
# themselves, so the SANITIZE=1 pass skips them); fuzz-long for real runs.
FUZZ_SECS ?= 10
fuzz: all
	sh scripts/fuzz.sh $(BUILD) $(FUZZ_SECS)
fuzz-long: all
	sh scripts/fuzz.sh $(BUILD) 3600

lint: $(LIBS_A)
	@sh scripts/lint.sh $(BUILD)

run: deps
	$(MAKE) all
	@sh scripts/run.sh $(NOMDESK)

bench: $(NOMDESK) $(MO)
	@sh bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(LOCALEDIR_INST)/zh_CN/LC_MESSAGES
	install -m 0755 $(NOMDESK) $(DESTDIR)$(BINDIR)/nomdesk
	install -m 0644 docs/nomdesk.1 $(DESTDIR)$(MANDIR)/nomdesk.1
	install -m 0644 $(MO) $(DESTDIR)$(LOCALEDIR_INST)/zh_CN/LC_MESSAGES/nomdesk.mo

fmt:
	clang-format -i $(CORE_SRC) $(KEYS_SRC) $(TUI_SRC) $(SSH_SRC) $(CLI_SRC)

clean:
	rm -rf build build-san

include bench/bench.mk

# ---- soak (tests/soak/*.c, soak.c has main): SIGKILL crash cycles through
# SSH and the CLI.  `make soak` runs SOAK_CYCLES of them; scripts/check.sh
# runs 4.
SOAK_SRC    = $(wildcard tests/soak/*.c)
SOAK_BIN    = $(BUILD)/tests/soak_tests
SOAK_CYCLES ?= 200
.PHONY: soak
$(SOAK_BIN): $(call obj,$(SOAK_SRC) $(VT_SRC) tests/lib/runner.c)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(VTERM_LIBS) -lutil
check: $(SOAK_BIN)
soak: $(SOAK_BIN) $(NOMDESK) $(MO)
	NOMDESK_BIN=$(abspath $(NOMDESK)) \
	NOMDESK_LOCALEDIR=$(abspath $(BUILD)/locale) $(SOAK_BIN) $(SOAK_CYCLES)
# ---- end soak

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
