/*
 * trail: the state of the accountability trail screen (scr_trail.c),
 * kept behind ui->trail: allocated by the first trail_open(), freed by
 * trail_release().  Rows are copied and sanitized when loaded.
 */
#ifndef NOMDESK_TUI_TRAIL_H
#define NOMDESK_TUI_TRAIL_H

#include <stddef.h>
#include <stdint.h>

#include "tui/ui.h"

extern const struct tui_screen scr_trail;

enum { TR_MARK, TR_SEQ, TR_TIME, TR_WHO, TR_ACT, TR_VER, TR_SIG, TR_N };

/* One act of the trail, ready to draw (every string sanitized). */
struct trail_row {
	char cell[TR_N][CORE_NAME_SIZE];
	char when[32];
	char signer[CORE_NAME_SIZE * 3]; /* name (login), role, unit */
	char act[256];                    /* the act and its decision */
	char version[160];                /* version, digest, key */
	char sig[160];                    /* the signature's standing */
	int sig_status;                   /* enum core_sig_status */
	int verifier, voided, attests;
	char *reason; /* LF kept; owned */
	char *attach; /* one digest a line, "" if none; owned */
};

struct trail_ui {
	int64_t id;
	char name[CORE_NAME_SIZE]; /* sanitized */
	char state[32];
	uint32_t version;
	char digest[17];       /* first 8 bytes of the current digest, hex */
	int vetoed;
	uint32_t veto_version;
	char veto_digest[17];
	size_t n_verifiers;
	struct trail_row *rows; /* log order */
	size_t n_rows, cap;
	struct w_list pos;
	struct w_table table;
	int full;   /* Enter: the selected act alone */
	int ftop;
	int n_full;
	char unit_code[CORE_CODE_SIZE]; /* the last unit looked up */
	char unit_name[CORE_NAME_SIZE];
};

#endif
