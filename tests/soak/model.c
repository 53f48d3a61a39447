/*
 * model: what the soak's database must hold, and the acts picked to
 * change it.
 *
 * Each nominee the clerks work on has a struct nom: what the acts so
 * far set (name, title, ID number, items, state, version, newest entry).
 * A nominee joins as unsure when an add is picked and leaves that state
 * at the next check (check.c), which also moves the model on for every
 * act that happened.  Every receipt shown is kept, to be checked again
 * after every later kill.  Names, titles, dates and ID numbers are
 * unique (uniq), so a row is found by its name.
 *
 * The randomness is a seeded xorshift, so SOAK_SEED replays a schedule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/soak/soak.h"

const char *const pool_login[POOL_N] = {"pc_clerk", "yg_clerk"};
const char *const kind_name[K_N] = {
	"add", "edit", "complete", "item", "pledge", "withdraw", "login"};
const int kind_act[K_N] = {1, 2, 2, 2, 7, 11, 130};

struct nom *noms;
size_t n_noms;
static size_t cap_noms;
static int uniq; /* makes names, titles, dates and ID numbers unique */

struct receipt *receipts;
size_t n_receipts;
static size_t cap_receipts;

/* ---- randomness ---- */

static uint64_t rng_state;

void
rnd_seed(uint64_t s)
{
	rng_state = s ? s : 1;
}

static uint64_t
rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 2685821657736338717ULL;
}

int
rnd_below(int n)
{
	return n > 0 ? (int)(rnd() % (uint64_t)n) : 0;
}

/* ---- the model ---- */

/* p with room for n + 1 elements of size bytes: doubled when full,
 * first elements at the start; ends the soak on out-of-memory. */
static void *
grow(void *p, size_t *cap, size_t n, size_t first, size_t size)
{
	if (n < *cap) {
		return p;
	}
	*cap = *cap ? 2 * *cap : first;
	p = realloc(p, *cap * size);
	if (!p) {
		abort();
	}
	return p;
}

int64_t
op_nom_id(const struct op *o)
{
	return o->kind == K_LOGIN ? 0 : noms[o->nom].id;
}

static struct nom *
nom_new(int pool)
{
	struct nom *n;
	struct tm tm = {0};
	time_t t;

	noms = grow(noms, &cap_noms, n_noms, 64, sizeof(*noms));
	n = &noms[n_noms++];
	memset(n, 0, sizeof(*n));
	uniq++;
	n->pool = pool;
	n->state = 'd';
	n->version = 1;
	n->unsure = true;
	snprintf(n->name, sizeof(n->name), "试验%d", uniq);
	snprintf(n->title, sizeof(n->title), "主任医师%d", uniq);
	/* one birth date per nominee (1960 to 1984), and the sequence of
	 * its ID number counts the rounds of dates: never the same person */
	n->born = uniq;
	tm.tm_year = 60;
	tm.tm_mday = 1;
	t = timegm(&tm) + (time_t)(uniq % 9000) * 86400;
	gmtime_r(&t, &tm);
	strftime(n->birth, sizeof(n->birth), "%Y-%m-%d", &tm);
	return n;
}

/* GB 11643: 140213 (平城区), the birth date, a sequence, the check. */
static void
id_number(const char *birth, int seq, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
				  3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;

	snprintf(out, 19, "140213%.4s%.2s%.2s%03d", birth, birth + 5,
		 birth + 8, seq % 1000);
	for (int i = 0; i < 17; i++) {
		sum += (out[i] - '0') * w[i];
	}
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* A random nominee of the pool fit for kind, not picked this cycle. */
static long
nom_pick(int pool, enum kind k, int cyc)
{
	long cand[4096];
	size_t n = 0;

	for (size_t i = 0; i < n_noms && n < 4096; i++) {
		const struct nom *m = &noms[i];

		if (m->pool != pool || m->gone || m->unsure || m->id == 0 ||
		    m->touched == cyc || m->state != 'd') {
			continue;
		}
		if ((k == K_COMPLETE && m->idn[0]) ||
		    (k == K_PLEDGE && !m->idn[0])) {
			continue;
		}
		cand[n++] = (long)i;
	}
	return n ? cand[rnd_below((int)n)] : -1;
}

static int
drafts(int pool)
{
	int n = 0;

	for (size_t i = 0; i < n_noms; i++) {
		n += noms[i].pool == pool && !noms[i].gone &&
		     noms[i].state == 'd';
	}
	return n;
}

/* Fills o with an act of kind (or an add, if no nominee fits). */
static void
op_make(struct op *o, bool via_tui, int pool, enum kind k, int cyc)
{
	long i = k == K_ADD || k == K_LOGIN ? -1 : nom_pick(pool, k, cyc);

	memset(o, 0, sizeof(*o));
	o->tui = via_tui;
	o->pool = pool;
	if (k == K_LOGIN) {
		o->kind = k;
		return;
	}
	if (k == K_WITHDRAW && drafts(pool) < 6) {
		i = -1; /* keep a stock of drafts to work on */
	}
	if (i < 0) {
		struct nom *n = nom_new(pool);

		o->kind = K_ADD;
		o->nom = (size_t)(n - noms);
		n->touched = cyc;
		return;
	}
	o->kind = k;
	o->nom = (size_t)i;
	noms[i].touched = cyc;
	uniq++;
	switch (k) {
	case K_EDIT:
		snprintf(o->arg, sizeof(o->arg), "副主任医师%d", uniq);
		break;
	case K_COMPLETE:
		id_number(noms[i].birth, noms[i].born / 9000, o->arg);
		break;
	case K_ITEM:
		snprintf(o->arg, sizeof(o->arg), "主持课题%d", uniq);
		break;
	default:
		break;
	}
}

/* The session process's own writes are the login and logout records,
 * hence a login one time in four for a session kill. */
void
op_pick_tui(struct op *o, int cyc, bool kill_step, enum target t)
{
	static const enum kind w[] = {K_ADD,	  K_ADD,    K_EDIT,
				      K_EDIT,	  K_EDIT,   K_PLEDGE,
				      K_PLEDGE,	  K_WITHDRAW, K_LOGIN};
	int n = (int)(sizeof(w) / sizeof(w[0]));
	enum kind k = w[rnd_below(kill_step && t == T_UI ? n - 1 : n)];

	if (kill_step && t == T_SESSION && rnd_below(4) == 0) {
		k = K_LOGIN;
	}
	op_make(o, true, POOL_PC, k, cyc);
}

void
op_pick_cli(struct op *o, int cyc)
{
	static const enum kind w[] = {K_ADD,      K_ADD,  K_EDIT,
				      K_EDIT,     K_COMPLETE, K_COMPLETE,
				      K_ITEM,     K_PLEDGE,   K_PLEDGE,
				      K_WITHDRAW};

	op_make(o, false, rnd_below(POOL_N),
		w[rnd_below((int)(sizeof(w) / sizeof(w[0])))], cyc);
}

/* An act's argument into a field of the model, cut to fit (ours fit:
 * the bound only tells the compiler so). */
static void
copy_arg(char *out, size_t outsz, const char *arg)
{
	snprintf(out, outsz, "%.*s", (int)outsz - 1, arg);
}

void
nom_apply(struct nom *n, const struct op *o)
{
	switch (o->kind) {
	case K_EDIT:
		copy_arg(n->title, sizeof(n->title), o->arg);
		n->version++;
		break;
	case K_COMPLETE:
		copy_arg(n->idn, sizeof(n->idn), o->arg);
		n->version++;
		break;
	case K_ITEM:
		n->items++;
		n->version++;
		break;
	case K_PLEDGE:
		n->state = 'p';
		break;
	case K_WITHDRAW:
		n->state = 'w';
		break;
	default:
		break;
	}
}

/* ---- receipts ---- */

struct receipt
receipt_of(const struct op *o)
{
	return (struct receipt){o->entry, kind_act[o->kind], o->pool, o->nom};
}

void
receipt_add(const struct op *o)
{
	receipts = grow(receipts, &cap_receipts, n_receipts, 256,
			sizeof(*receipts));
	receipts[n_receipts++] = receipt_of(o);
}
