/*
 * Penalties for failed passwords, keyed by source address, by source and
 * login, and by existing login (OpenSSH's PerSourcePenalties, with one
 * difference: a penalty slows the attempts it covers, it never refuses a
 * connection, because county offices reach us through shared NAT
 * addresses and a lockout would be a denial of service on them).
 *
 * Each key has a score: every failed password adds one, and the score
 * halves every halflife_s, so a penalty grows with repeated failures and
 * expires by itself.  The first few failures are free (a clerk's typos);
 * past them each further failure doubles the delay, up to max_ms.
 *
 * The table lives in one shared anonymous mapping made by the listener
 * before it forks: the listener alone writes it (from the failures its
 * children report), the session processes read it to know how long to
 * wait before their next password check.  Entries are read and written
 * with atomic loads and stores; a reader that races a writer may see a
 * score a moment old, which only shifts a delay.
 *
 * Keys are 64-bit keyed hashes (a per-server random key), so an unknown
 * login typed by a client is never kept as text, and nobody outside can
 * aim collisions at a victim's slot.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "ssh/srv_int.h"

#define N_SLOTS 8192 /* power of two */
#define PROBES 8

struct slot {
	uint64_t key;      /* 0: empty */
	int64_t score_m;   /* score in thousandths, at at_ms */
	int64_t at_ms;
};

struct srv_penalty {
	uint64_t k0, k1; /* the hash key */
	struct srv_penalty_config cfg;
	struct slot slot[N_SLOTS];
};

void
srv_penalty_config_defaults(struct srv_penalty_config *c)
{
	c->free_source = 4;
	c->free_pair = 2;
	c->free_login = 16;
	c->base_ms = 250;
	c->max_ms = 10000;
	c->login_max_ms = 2000;
	c->halflife_s = 300;
}

static uint64_t
rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

/* SipHash-2-4 over the bytes (the short-input hash the key calls for). */
static uint64_t
siphash(uint64_t k0, uint64_t k1, const unsigned char *in, size_t len)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)len << 56, m;
	size_t i, left = len & 7;

#define ROUND                                                             \
	do {                                                              \
		v0 += v1;                                                 \
		v1 = rotl(v1, 13);                                        \
		v1 ^= v0;                                                 \
		v0 = rotl(v0, 32);                                        \
		v2 += v3;                                                 \
		v3 = rotl(v3, 16);                                        \
		v3 ^= v2;                                                 \
		v0 += v3;                                                 \
		v3 = rotl(v3, 21);                                        \
		v3 ^= v0;                                                 \
		v2 += v1;                                                 \
		v1 = rotl(v1, 17);                                        \
		v1 ^= v2;                                                 \
		v2 = rotl(v2, 32);                                        \
	} while (0)
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, in + i, 8);
		v3 ^= m;
		ROUND;
		ROUND;
		v0 ^= m;
	}
	for (size_t j = 0; j < left; j++) {
		b |= (uint64_t)in[i + j] << (8 * j);
	}
	v3 ^= b;
	ROUND;
	ROUND;
	v0 ^= b;
	v2 ^= 0xff;
	ROUND;
	ROUND;
	ROUND;
	ROUND;
#undef ROUND
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The hash of kind, a, NUL, b; never 0 (0 marks an empty slot). */
static uint64_t
key_of(const struct srv_penalty *p, char kind, const char *a, const char *b)
{
	unsigned char buf[2 + 64 + 1 + 256];
	size_t n = 0, la = strnlen(a, 64), lb = b ? strnlen(b, 256) : 0;
	uint64_t h;

	buf[n++] = (unsigned char)kind;
	buf[n++] = ':';
	memcpy(buf + n, a, la);
	n += la;
	buf[n++] = 0;
	if (b != NULL) {
		memcpy(buf + n, b, lb);
		n += lb;
	}
	h = siphash(p->k0, p->k1, buf, n);
	return h != 0 ? h : 1;
}

struct srv_penalty *
srv_penalty_new(const struct srv_penalty_config *cfg)
{
	struct srv_penalty *p;
	uint64_t k[2];

	p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		return NULL;
	}
	if (getrandom(k, sizeof(k), 0) != (ssize_t)sizeof(k)) {
		munmap(p, sizeof(*p));
		return NULL;
	}
	p->k0 = k[0];
	p->k1 = k[1];
	p->cfg = *cfg;
	if (p->cfg.halflife_s < 1) {
		p->cfg.halflife_s = 1;
	}
	return p;
}

void
srv_penalty_free(struct srv_penalty *p)
{
	if (p != NULL) {
		munmap(p, sizeof(*p));
	}
}

static double
decayed(const struct srv_penalty *p, int64_t score_m, int64_t at_ms,
	int64_t now_ms)
{
	double age = (double)(now_ms - at_ms) / 1000.0;

	if (age < 0) {
		age = 0;
	}
	return (double)score_m / 1000.0 * exp2(-age / p->cfg.halflife_s);
}

/* The current score of key (0 if absent). */
static double
score_of(const struct srv_penalty *p, uint64_t key, int64_t now_ms)
{
	size_t h = (size_t)(key & (N_SLOTS - 1));

	for (size_t i = 0; i < PROBES; i++) {
		const struct slot *s = &p->slot[(h + i) & (N_SLOTS - 1)];
		uint64_t k = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE);
		int64_t sc, at;

		if (k != key) {
			continue;
		}
		sc = __atomic_load_n(&s->score_m, __ATOMIC_ACQUIRE);
		at = __atomic_load_n(&s->at_ms, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&s->key, __ATOMIC_ACQUIRE) != key) {
			return 0; /* replaced while we read it */
		}
		return decayed(p, sc, at, now_ms);
	}
	return 0;
}

/* Listener only: adds one failure to key. */
static void
add_failure(struct srv_penalty *p, uint64_t key, int64_t now_ms)
{
	size_t h = (size_t)(key & (N_SLOTS - 1));
	struct slot *victim = NULL;
	double least = 0;

	for (size_t i = 0; i < PROBES; i++) {
		struct slot *s = &p->slot[(h + i) & (N_SLOTS - 1)];
		double sc;

		if (s->key == key) {
			sc = decayed(p, s->score_m, s->at_ms, now_ms) + 1.0;
			__atomic_store_n(&s->score_m, (int64_t)(sc * 1000),
					 __ATOMIC_RELEASE);
			__atomic_store_n(&s->at_ms, now_ms, __ATOMIC_RELEASE);
			return;
		}
		sc = s->key == 0 ? -1 : decayed(p, s->score_m, s->at_ms, now_ms);
		if (victim == NULL || sc < least) {
			victim = s;
			least = sc;
		}
	}
	/* A new key takes an empty slot or the weakest of its probes: a
	 * flood of new keys pushes out only stale or light penalties. */
	__atomic_store_n(&victim->key, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&victim->score_m, 1000, __ATOMIC_RELEASE);
	__atomic_store_n(&victim->at_ms, now_ms, __ATOMIC_RELEASE);
	__atomic_store_n(&victim->key, key, __ATOMIC_RELEASE);
}

void
srv_penalty_keys(const struct srv_penalty *p, const char *peer,
		 const char *login, struct srv_penalty_keys *out)
{
	out->source = key_of(p, 's', peer, NULL);
	out->pair = key_of(p, 'p', peer, login);
	out->login = key_of(p, 'l', login, NULL);
}

void
srv_penalty_fail(struct srv_penalty *p, const struct srv_penalty_keys *k,
		 bool known, int64_t now_ms)
{
	add_failure(p, k->source, now_ms);
	add_failure(p, k->pair, now_ms);
	/* only existing logins: unknown ones would fill the table with
	 * whatever a scanner types, and slowing them protects nobody */
	if (known) {
		add_failure(p, k->login, now_ms);
	}
}

/* base * 2^(excess - 1), 0 at or below the free failures, at most cap. */
static int
ramp(const struct srv_penalty_config *c, double score, int free, int cap)
{
	double excess = score - free, d;

	if (excess <= 0) {
		return 0;
	}
	d = c->base_ms * exp2(excess - 1);
	return d >= cap ? cap : (int)d;
}

int
srv_penalty_delay_ms(const struct srv_penalty *p,
		     const struct srv_penalty_keys *k, int64_t now_ms,
		     bool *penalized)
{
	const struct srv_penalty_config *c = &p->cfg;
	double s = score_of(p, k->source, now_ms);
	double sp = score_of(p, k->pair, now_ms);
	double sl = score_of(p, k->login, now_ms);
	int d = ramp(c, s, c->free_source, c->max_ms);
	int dp = ramp(c, sp, c->free_pair, c->max_ms);

	if (dp > d) {
		d = dp;
	}
	d += ramp(c, sl, c->free_login, c->login_max_ms);
	if (penalized != NULL) {
		/* any recent failure from here, or an account under attack
		 * from anywhere: the slow lane of the password checks */
		*penalized = s >= 0.5 || sp >= 0.5 || sl >= c->free_login;
	}
	return d > c->max_ms ? c->max_ms : d;
}

double
srv_penalty_score(const struct srv_penalty *p, uint64_t key, int64_t now_ms)
{
	return score_of(p, key, now_ms);
}
