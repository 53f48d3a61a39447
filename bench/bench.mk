# bench/: the integrity benchmarks of issue #4 (bench/run.sh runs them and
# writes docs/BENCHMARKS.md).  Included by the top Makefile; bench/run.sh
# also runs `make -f Makefile -f bench/bench.mk`, hence the guard.
ifndef NOMDESK_BENCH_MK
NOMDESK_BENCH_MK := 1

BENCH_BIN = $(BUILD)/bench/bench_audit

$(BENCH_BIN): $(call obj,bench/bench_audit.c) $(BUILD)/libcore.a \
		$(BUILD)/libkeys.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

# bench_ssh: our server against OpenSSH's sshd serving the same UI.
BENCH_SSH = $(BUILD)/bench/bench_ssh
$(BENCH_SSH): bench/bench_ssh.c tests/lib/sshclient.c tests/lib/vt.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(VTERM_CFLAGS) $(LDFLAGS_ALL) -o $@ $^ \
		$(VTERM_LIBS) -lutil

# bench_flood: a clerk's login while the port is flooded (issue #8).
BENCH_FLOOD = $(BUILD)/bench/bench_flood
$(BENCH_FLOOD): bench/bench_flood.c tests/lib/sshclient.c tests/lib/vt.c \
		tests/lib/sshpw.c tests/lib/net.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(VTERM_CFLAGS) $(LDFLAGS_ALL) -o $@ $^ \
		$(PKG_LIBS) $(VTERM_LIBS) -lutil

endif
