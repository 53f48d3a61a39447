/*
 * bench_audit: the integrity benchmarks of issue #4, as ratios from one
 * run on one machine (docs/BENCHMARKS.md):
 *
 *   (a) signed, audited acts per second (core_nominee_add: row, entry
 *       signed by the log key, frontier, checkpoint signed and stored, one
 *       transaction, WAL + synchronous=FULL) against raw SQLite commits of
 *       a similar row at the same PRAGMAs in the same directory;
 *   (b) `audit verify` of a synthetic but valid bundle of N entries
 *       (default 10^6) against the raw SHA-256 time of the same bytes
 *       (libsodium crypto_hash_sha256) and against the Ed25519 verify
 *       floor (crypto_sign_verify_detached x the signatures it checks).
 *
 * The synthetic log is written with keys/ directly, the way core writes
 * it: entry 0 announces the log key; 20 users enrol keys (log key +
 * proof of possession); then nominee acts in round robin over 10,000
 * nominees (create, then versions), every second one signed personally
 * by its actor besides the log key; a checkpoint after every entry (one
 * act = one transaction).
 *
 * usage: bench_audit DIR [N] [MARKDOWN-OUT]
 */
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "keys/keys.h"

#define N_USERS 20
#define N_NOMINEES 10000
#define ORIGIN "nomdesk.bench.example/1"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the whole process (every thread). */
static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_audit: %s\n", what);
	exit(1);
}

/* ---- (a) audited acts vs raw commits ---- */

static const char *const raw_pragmas =
	"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	"PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
	"PRAGMA secure_delete=ON; PRAGMA cache_size=-2000;"
	"PRAGMA temp_store=MEMORY;";

struct acts {
	struct core *c;
	sqlite3 *raw;
	sqlite3_stmt *ins;
	int n_acts, n_raw;
	double t_acts, t_raw;
};

static void
one_act(struct acts *a)
{
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	int64_t id;

	if (core_nominee_add(a->c, &n, &id, NULL) != 0)
		die(core_errmsg(a->c));
	a->n_acts++;
}

static void
one_raw(struct acts *a)
{
	uint8_t blob[32 + 32 + 450];

	randombytes_buf(blob, sizeof(blob));
	if (sqlite3_exec(a->raw, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		die("raw begin");
	sqlite3_bind_text(a->ins, 1, "140213-e001", -1, SQLITE_STATIC);
	sqlite3_bind_text(a->ins, 2, "李明", -1, SQLITE_STATIC);
	sqlite3_bind_text(a->ins, 3, "主任医师", -1, SQLITE_STATIC);
	sqlite3_bind_blob(a->ins, 4, blob, 32, SQLITE_STATIC);
	sqlite3_bind_blob(a->ins, 5, blob + 32, 32, SQLITE_STATIC);
	sqlite3_bind_blob(a->ins, 6, blob + 64, 450, SQLITE_STATIC);
	if (sqlite3_step(a->ins) != SQLITE_DONE)
		die("raw insert");
	sqlite3_reset(a->ins);
	if (sqlite3_exec(a->raw, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("raw commit");
	a->n_raw++;
}

static void
bench_acts(const char *dir, double budget, FILE *md, double *ratio)
{
	char data[4096], raw[4096], err[512];
	struct acts a = {0};

	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(raw, sizeof(raw), "%s/raw.db", dir);
	if (core_init_dir(data, 1, NULL, NULL, err, sizeof(err)) != 0)
		die(err);
	if (core_open(&a.c, data, err, sizeof(err)) != 0 ||
	    core_act_as(a.c, "pc_clerk") != 0)
		die(err);
	if (sqlite3_open(raw, &a.raw) != SQLITE_OK ||
	    sqlite3_exec(a.raw, raw_pragmas, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(a.raw,
			 "CREATE TABLE nominee (id INTEGER PRIMARY KEY, unit "
			 "TEXT NOT NULL, name TEXT NOT NULL, title TEXT NOT "
			 "NULL, salt BLOB NOT NULL, digest BLOB NOT NULL, "
			 "entry BLOB NOT NULL) STRICT",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(a.raw,
			       "INSERT INTO nominee (unit, name, title, salt, "
			       "digest, entry) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			       -1, &a.ins, NULL) != SQLITE_OK)
		die("raw sqlite setup");
	/* Warm up both, then alternate short rounds so that drift in the
	 * disk's fsync time hits both sides alike. */
	for (int i = 0; i < 5; i++) {
		one_act(&a);
		one_raw(&a);
	}
	a.n_acts = a.n_raw = 0;
	for (double end = now_s() + budget; now_s() < end;) {
		double t0 = now_s();

		for (int i = 0; i < 20; i++)
			one_act(&a);
		a.t_acts += now_s() - t0;
		t0 = now_s();
		for (int i = 0; i < 20; i++)
			one_raw(&a);
		a.t_raw += now_s() - t0;
	}
	sqlite3_finalize(a.ins);
	sqlite3_close(a.raw);
	core_close(a.c);
	*ratio = (a.n_acts / a.t_acts) / (a.n_raw / a.t_raw);
	printf("(a) acts     %6d in %6.2f s  %8.1f /s  (%.2f ms each)\n",
	       a.n_acts, a.t_acts, a.n_acts / a.t_acts,
	       1e3 * a.t_acts / a.n_acts);
	printf("    raw      %6d in %6.2f s  %8.1f /s  (%.2f ms each)\n",
	       a.n_raw, a.t_raw, a.n_raw / a.t_raw, 1e3 * a.t_raw / a.n_raw);
	printf("    ratio    audited acts / raw commits = %.3f\n", *ratio);
	fprintf(md,
		"| (a) signed audited acts (`core_nominee_add`) | %d | "
		"%.2f s | %.1f /s |\n"
		"| (a) raw SQLite INSERT + COMMIT, same PRAGMAs | %d | %.2f s | "
		"%.1f /s |\n",
		a.n_acts, a.t_acts, a.n_acts / a.t_acts, a.n_raw, a.t_raw,
		a.n_raw / a.t_raw);
}

/* ---- (b) a synthetic log ---- */

struct gen {
	FILE *f;
	struct signer *log;
	uint8_t log_pk[32], log_id[32];
	uint8_t user_pk[N_USERS][32], user_sk[N_USERS][64],
		user_id[N_USERS][32];
	struct merkle_frontier fr;
	struct stmt *s;
	struct enc_buf sb, eb;
	uint64_t n_sigs;
	uint32_t version[N_NOMINEES + 1];
	uint8_t digest[N_NOMINEES + 1][32];
};

static void
put_rec(FILE *f, int type, const void *p, size_t n)
{
	uint8_t h[5] = {(uint8_t)type, (uint8_t)(n >> 24), (uint8_t)(n >> 16),
			(uint8_t)(n >> 8), (uint8_t)n};

	if (fwrite(h, 1, 5, f) != 5 || (n && fwrite(p, 1, n, f) != n))
		die("write");
}

/* Appends the statement in g->s as the next entry, signed by the log key
 * and (user >= 0) by user's key, then its checkpoint. */
static void
emit(struct gen *g, int user, int pop_user)
{
	struct entry e;
	uint8_t leaf[32], root[32];
	char note[1024];

	merkle_frontier_root(&g->fr, root);
	g->s->seen_size = g->fr.size;
	memcpy(g->s->seen_root, root, 32);
	randombytes_buf(g->s->nonce, 16);
	g->sb.len = 0;
	g->eb.len = 0;
	if (stmt_encode(g->s, &g->sb) != 0)
		die("stmt_encode");
	memset(&e, 0, sizeof(e));
	e.seq = g->fr.size;
	e.server_time = 1604282400000LL + (int64_t)e.seq * 1000;
	e.stmt = g->sb.p;
	e.stmt_len = g->sb.len;
	e.n_sigs = 1;
	e.sigs[0].alg = 1;
	memcpy(e.sigs[0].key_id, g->log_id, 32);
	signer_sign(g->log, g->sb.p, g->sb.len, e.sigs[0].sig);
	if (user >= 0 || pop_user >= 0) {
		int u = user >= 0 ? user : pop_user;

		e.sigs[1].alg = 1;
		memcpy(e.sigs[1].key_id, g->user_id[u], 32);
		crypto_sign_detached(e.sigs[1].sig, NULL, g->sb.p, g->sb.len,
				     g->user_sk[u]);
		e.n_sigs = 2;
	}
	if (entry_encode(&e, &g->eb) != 0)
		die("entry_encode");
	put_rec(g->f, 'E', g->eb.p, g->eb.len);
	merkle_leaf_hash(g->eb.p, g->eb.len, leaf);
	merkle_frontier_append(&g->fr, leaf);
	merkle_frontier_root(&g->fr, root);
	if (note_checkpoint_sign(g->log, ORIGIN, g->fr.size, root, note,
				 sizeof(note)) != 0)
		die("checkpoint");
	put_rec(g->f, 'C', note, strlen(note));
	g->n_sigs += e.n_sigs + 1u;
}

static void
base_stmt(struct stmt *s, const char *actor, uint8_t role, const char *unit)
{
	memset(s, 0, sizeof(*s));
	s->suite = 1;
	snprintf(s->origin, sizeof(s->origin), "%s", ORIGIN);
	snprintf(s->actor, sizeof(s->actor), "%s", actor);
	s->actor_role = role;
	snprintf(s->unit, sizeof(s->unit), "%s", unit);
	s->client_time = 1604282400000LL;
}

static void
generate(const char *dir, const char *path, uint64_t n)
{
	struct gen *g = calloc(1, sizeof(*g));
	char keypath[4096], err[256], b64[64];
	struct enc_buf reg;
	char line[256];

	snprintf(keypath, sizeof(keypath), "%s/bench-log.key", dir);
	unlink(keypath);
	if (!g || !(g->s = malloc(sizeof(*g->s))) ||
	    signer_generate_file(keypath, err, sizeof(err)) != 0 ||
	    signer_load_file(&g->log, keypath, err, sizeof(err)) != 0)
		die("log key");
	signer_public(g->log, g->log_pk);
	signer_key_id(g->log, g->log_id);
	if (!(g->f = fopen(path, "wb")))
		die(path);
	setvbuf(g->f, NULL, _IOFBF, 1 << 20);
	keys_b64_encode(g->log_pk, 32, b64, sizeof(b64));
	fprintf(g->f,
		"nomdesk-audit-bundle v1\norigin %s\nlog-key %s\nentries %" PRIu64
		"\ncheckpoints %" PRIu64 "\n\n",
		ORIGIN, b64, n, n);
	enc_init(&g->sb);
	enc_init(&g->eb);
	enc_init(&reg);
	merkle_frontier_init(&g->fr);
	snprintf(line, sizeof(line), "key log ed25519 %s from 0 until -\n",
		 b64);
	enc_raw(&reg, line, strlen(line));

	/* 0: the log key. */
	base_stmt(g->s, "system", 0xff, "");
	g->s->act = ACT_LOG_KEY;
	snprintf(g->s->subject, sizeof(g->s->subject), "log");
	memcpy(g->s->actor_key_id, g->log_id, 32);
	snprintf(g->s->reason, sizeof(g->s->reason), "log key ed25519 %s", b64);
	emit(g, -1, -1);

	/* 1..20: enrolments, each signed by the new key as well. */
	for (int u = 0; u < N_USERS && g->fr.size < n; u++) {
		char login[32];

		crypto_sign_keypair(g->user_pk[u], g->user_sk[u]);
		keys_key_id(1, g->user_pk[u], g->user_id[u]);
		keys_b64_encode(g->user_pk[u], 32, b64, sizeof(b64));
		snprintf(login, sizeof(login), "clerk%02d", u);
		base_stmt(g->s, "system", 0xff, "");
		g->s->act = ACT_KEY_ENROLL;
		snprintf(g->s->subject, sizeof(g->s->subject), "user:%s",
			 login);
		memcpy(g->s->actor_key_id, g->user_id[u], 32);
		snprintf(g->s->reason, sizeof(g->s->reason), "ed25519 %s", b64);
		snprintf(line, sizeof(line),
			 "key user:%s ed25519 %s from %" PRIu64 " until -\n",
			 login, b64, g->fr.size);
		enc_raw(&reg, line, strlen(line));
		emit(g, -1, u);
	}

	/* Then acts on nominees, round robin. */
	for (uint64_t i = 0; g->fr.size < n; i++) {
		uint32_t id = (uint32_t)(i % N_NOMINEES) + 1;
		int u = (int)(id % N_USERS), personal = i % 2 == 1;
		char login[32];

		snprintf(login, sizeof(login), "clerk%02d", u);
		base_stmt(g->s, login, 1, "140213-e001");
		snprintf(g->s->subject, sizeof(g->s->subject), "nominee:%u",
			 id);
		g->s->version = g->version[id] + 1;
		memcpy(g->s->prev_digest, g->digest[id], 32);
		randombytes_buf(g->digest[id], 32);
		memcpy(g->s->digest, g->digest[id], 32);
		if (g->version[id] == 0) {
			g->s->act = ACT_NOMINEE_CREATED;
		} else if (personal) {
			g->s->act = ACT_VERIFICATION;
			g->s->decision = 1;
			snprintf(g->s->reason, sizeof(g->s->reason),
				 "unit_review: 材料齐全，查验无误");
		} else {
			g->s->act = ACT_DOSSIER_EDITED;
			snprintf(g->s->reason, sizeof(g->s->reason),
				 "edited: specialty,phone");
		}
		g->version[id]++;
		memcpy(g->s->actor_key_id,
		       personal && g->s->act != ACT_NOMINEE_CREATED
			       ? g->user_id[u]
			       : g->log_id,
		       32);
		emit(g,
		     personal && g->s->act != ACT_NOMINEE_CREATED ? u : -1, -1);
	}
	put_rec(g->f, 'K', reg.p, reg.len);
	put_rec(g->f, 'Z', NULL, 0);
	if (fflush(g->f) != 0 || fclose(g->f) != 0)
		die("write bundle");
	enc_release(&reg);
	enc_release(&g->sb);
	enc_release(&g->eb);
	signer_free(g->log);
	sodium_memzero(g->user_sk, sizeof(g->user_sk));
	free(g->s);
	free(g);
	unlink(keypath);
}

static void
bench_verify(const char *dir, uint64_t n, FILE *md, double *r_sha,
	     double *r_ed)
{
	char path[4096];
	struct core_verify_opts o = {0};
	struct core_verify_report rep;
	uint8_t *buf, h[32], pk[32], sk[64], sig[64], msg[400];
	double t0, c0, t_gen, t_verify, c_verify, c_sha, c_one, c_floor;
	size_t len;
	FILE *f;
	int sample = 50000;

	snprintf(path, sizeof(path), "%s/log.bundle", dir);
	t0 = now_s();
	generate(dir, path, n);
	t_gen = now_s() - t0;

	/* Wall time (the verifier uses every CPU) and CPU time (all its
	 * threads: the figure to hold against the single-core floors,
	 * and robust on a shared machine). */
	o.bundle = path;
	t0 = now_s();
	c0 = cpu_s();
	if (core_audit_verify(&o, &rep) != 0) {
		fprintf(stderr, "verify failed at %" PRId64 " (%s): %s\n",
			rep.seq, rep.rule, rep.message);
		die("the synthetic log does not verify");
	}
	c_verify = cpu_s() - c0;
	t_verify = now_s() - t0;

	/* The same bytes, hashed once (read first: hashing, not I/O). */
	if (!(f = fopen(path, "rb")))
		die(path);
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	if (!(buf = malloc(len)) || fread(buf, 1, len, f) != len)
		die("read bundle");
	fclose(f);
	c0 = cpu_s();
	crypto_hash_sha256(h, buf, len);
	c_sha = cpu_s() - c0;
	free(buf);

	/* Ed25519 verify: a sample of statement-sized messages, scaled to
	 * every signature the audit checked (entries' and checkpoints'). */
	crypto_sign_keypair(pk, sk);
	randombytes_buf(msg, sizeof(msg));
	crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);
	c0 = cpu_s();
	for (int i = 0; i < sample; i++)
		if (crypto_sign_verify_detached(sig, msg, sizeof(msg), pk) != 0)
			die("ed25519");
	c_one = (cpu_s() - c0) / sample;
	c_floor = c_one * (double)(rep.n_signatures + rep.n_checkpoints);
	*r_sha = c_verify / c_sha;
	*r_ed = c_verify / c_floor;

	printf("(b) log      %" PRIu64 " entries, %" PRIu64
	       " checkpoints, %.1f MB, generated in %.1f s\n",
	       rep.size, rep.n_checkpoints, len / 1e6, t_gen);
	printf("    verify   %8.2f s CPU, %.2f s wall  (%" PRIu64
	       " entry signatures + %" PRIu64 " checkpoint signatures)\n",
	       c_verify, t_verify, rep.n_signatures, rep.n_checkpoints);
	printf("    sha256   %8.2f s CPU  (%.0f MB/s)   verify / sha256  = "
	       "%.1f\n",
	       c_sha, len / 1e6 / c_sha, *r_sha);
	printf("    ed25519  %8.2f s CPU  (%.1f us each) verify / ed25519 = "
	       "%.2f\n",
	       c_floor, c_one * 1e6, *r_ed);
	fprintf(md,
		"| (b) `audit verify` of the bundle | %" PRIu64 " entries, "
		"%" PRIu64 " signatures | %.1f s CPU (%.1f s wall) | %.0f "
		"entries/s wall |\n"
		"| (b) SHA-256 of the same %.0f MB (one pass) | | %.2f s CPU | "
		"%.0f MB/s |\n"
		"| (b) Ed25519 verify floor: %.1f µs × %" PRIu64
		" signatures | | %.1f s CPU | |\n",
		rep.size, rep.n_signatures + rep.n_checkpoints, c_verify,
		t_verify, rep.size / t_verify, len / 1e6, c_sha,
		len / 1e6 / c_sha, c_one * 1e6,
		rep.n_signatures + rep.n_checkpoints, c_floor);
	core_verify_report_release(&rep);
	unlink(path);
}

static void
machine(FILE *md, const char *dir)
{
	char cpu[256] = "unknown", line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	struct statfs sf;
	const char *fs = "?";

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) == 0) {
			char *p = strchr(line, ':');

			if (p) {
				snprintf(cpu, sizeof(cpu), "%s", p + 2);
				cpu[strcspn(cpu, "\n")] = '\0';
			}
			break;
		}
	}
	if (f)
		fclose(f);
	if (statfs(dir, &sf) == 0)
		fs = sf.f_type == 0xEF53	 ? "ext4"
		     : sf.f_type == 0x01021994 ? "tmpfs"
		     : sf.f_type == 0x58465342 ? "xfs"
		     : sf.f_type == 0x9123683E ? "btrfs"
		     : sf.f_type == 0x794c7630 ? "overlayfs"
					       : "other";
	printf("machine: %s, %ld CPUs, libsodium %s, SQLite %s, %s\n", cpu,
	       sysconf(_SC_NPROCESSORS_ONLN), sodium_version_string(),
	       sqlite3_libversion(), fs);
	fprintf(md,
		"Machine: %s, %ld CPUs online; libsodium %s, SQLite %s; "
		"data on %s.\n\n",
		cpu, sysconf(_SC_NPROCESSORS_ONLN), sodium_version_string(),
		sqlite3_libversion(), fs);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : NULL;
	uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
	FILE *md = argc > 3 ? fopen(argv[3], "w") : fopen("/dev/null", "w");
	double r_acts, r_sha, r_ed;
	time_t t = time(NULL);
	char when[64];

	if (!dir || n < N_USERS + 2 || !md) {
		fprintf(stderr, "usage: bench_audit DIR [N] [MARKDOWN-OUT]\n");
		return 2;
	}
	if (sodium_init() < 0)
		die("libsodium");
	/* Demo accounts: the cheapest password hashing will do. */
	setenv("NOMDESK_KDF", "interactive", 0);
	mkdir(dir, 0700);
	strftime(when, sizeof(when), "%Y-%m-%d", gmtime(&t));
	fprintf(md, "Run of %s (`make bench`).  ", when);
	machine(md, dir);
	fprintf(md, "| what | count | time | rate |\n|---|---|---|---|\n");
	bench_acts(dir, 6.0, md, &r_acts);
	bench_verify(dir, n, md, &r_sha, &r_ed);
	fprintf(md,
		"\n**Ratios:** audited acts / raw commits = **%.2f** "
		"(wall); `audit verify` / SHA-256 of the same bytes = "
		"**%.1f** (CPU); `audit verify` / Ed25519 verify floor = "
		"**%.2f** (CPU).\n",
		r_acts, r_sha, r_ed);
	fclose(md);
	return 0;
}
