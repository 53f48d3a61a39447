/*
 * Slots shared between the session processes, made by the listener
 * before it forks and held by a session process until it lets go or
 * dies (the kernel gives a dead holder's slot back, so a SIGKILL never
 * leaks one):
 *
 *  - the password-check gate: at most n concurrent password checks
 *    (each Argon2id verification holds 64 MiB), so a password storm
 *    queues instead of growing memory.  A System V semaphore set with
 *    SEM_UNDO: semaphore 0 counts the checks, semaphore 1 is the slow
 *    lane, one check at a time for attempts under a penalty, so a storm
 *    from penalised sources can take one slot at most and the others stay
 *    free for clean logins.  A source also has one clean place in the
 *    queue at a time (a record lock on its byte of a memfd): its other
 *    connections wait in the slow lane, so a burst of fresh sources,
 *    before any of them has failed, cannot queue ahead of a clerk more
 *    than one check each.
 *
 *  - per-user session slots: at most n sessions per login.  POSIX record
 *    locks on a memfd, one byte per slot at an offset from a keyed hash of
 *    the login; a record lock belongs to the process, is not inherited by
 *    the UI it forks, and goes away with it.
 */
#define _GNU_SOURCE /* memfd_create, semtimedop */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

#include "ssh/srv_int.h"

union semun_arg {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

int
srv_gate_open(struct srv_gate *g, int slots)
{
	union semun_arg a;
	unsigned short v[2];

	g->id = -1;
	g->lock_fd = -1;
	g->slots = slots;
	g->held = 0;
	g->source_locked = false;
	if (slots < 1) {
		return 0; /* no bound */
	}
	g->lock_fd = memfd_create("nomdesk-gate", MFD_CLOEXEC);
	if (g->lock_fd < 0) {
		return -1;
	}
	g->id = semget(IPC_PRIVATE, 2, IPC_CREAT | IPC_EXCL | 0600);
	if (g->id < 0) {
		return -1;
	}
	v[0] = (unsigned short)slots;
	v[1] = 1;
	a.array = v;
	if (semctl(g->id, 0, SETALL, a) != 0) {
		semctl(g->id, 0, IPC_RMID);
		g->id = -1;
		return -1;
	}
	return 0;
}

void
srv_gate_close(struct srv_gate *g)
{
	if (g->id >= 0) {
		semctl(g->id, 0, IPC_RMID);
		g->id = -1;
	}
	if (g->lock_fd >= 0) {
		close(g->lock_fd);
		g->lock_fd = -1;
	}
}

/* One byte per source (40 bits of its key): F_SETLK or F_UNLCK. */
static int
source_lock(struct srv_gate *g, uint64_t source_key, short type)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = (off_t)(source_key & ((1ULL << 40) - 1));
	fl.l_len = 1;
	return fcntl(g->lock_fd, F_SETLK, &fl);
}

int
srv_gate_enter(struct srv_gate *g, bool slow_lane, uint64_t source_key,
	       int timeout_ms)
{
	struct sembuf ops[2];
	struct timespec ts;
	size_t n = 0;

	if (g->id < 0 || g->held != 0) {
		return 0;
	}
	if (!slow_lane) {
		/* the source's one clean place, or the slow lane */
		g->source_key = source_key;
		g->source_locked = source_lock(g, source_key, F_WRLCK) == 0;
		slow_lane = !g->source_locked;
	}
	if (timeout_ms < 1) {
		timeout_ms = 1;
	}
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
	ops[n++] = (struct sembuf){0, -1, SEM_UNDO};
	if (slow_lane) {
		/* both at once: waiting for the lane never holds a slot */
		ops[n++] = (struct sembuf){1, -1, SEM_UNDO};
	}
	while (semtimedop(g->id, ops, n, &ts) != 0) {
		if (errno != EINTR) {
			if (g->source_locked) {
				source_lock(g, g->source_key, F_UNLCK);
				g->source_locked = false;
			}
			return -1; /* EAGAIN: time is up */
		}
	}
	g->held = slow_lane ? 2 : 1;
	return 0;
}

void
srv_gate_leave(struct srv_gate *g)
{
	struct sembuf ops[2];
	size_t n = 0;

	if (g->id < 0 || g->held == 0) {
		return;
	}
	ops[n++] = (struct sembuf){0, 1, SEM_UNDO};
	if (g->held == 2) {
		ops[n++] = (struct sembuf){1, 1, SEM_UNDO};
	}
	g->held = 0;
	while (semop(g->id, ops, n) != 0 && errno == EINTR) {
	}
	if (g->source_locked) {
		source_lock(g, g->source_key, F_UNLCK);
		g->source_locked = false;
	}
}

int
srv_gate_in_use(const struct srv_gate *g)
{
	int v;

	if (g->id < 0) {
		return 0;
	}
	v = semctl(g->id, 0, GETVAL);
	return v < 0 ? 0 : g->slots - v;
}

/* ---- per-user session slots ---- */

int
srv_usercap_open(struct srv_usercap *u, int per_user)
{
	u->fd = -1;
	u->per_user = per_user;
	if (per_user < 1) {
		return 0; /* no cap */
	}
	/* close-on-exec: the UI and commands never see it */
	u->fd = memfd_create("nomdesk-sessions", MFD_CLOEXEC);
	return u->fd < 0 ? -1 : 0;
}

void
srv_usercap_close(struct srv_usercap *u)
{
	if (u->fd >= 0) {
		close(u->fd);
		u->fd = -1;
	}
}

int
srv_usercap_take(struct srv_usercap *u, uint64_t login_key)
{
	/* 2^40 groups of 64 bytes: far inside off_t, and two logins share
	 * slots only if their keyed hashes agree in 40 bits */
	off_t base = (off_t)((login_key & ((1ULL << 40) - 1)) * 64);

	if (u->fd < 0) {
		return 0;
	}
	for (int i = 0; i < u->per_user && i < 64; i++) {
		struct flock fl;

		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = base + i;
		fl.l_len = 1;
		if (fcntl(u->fd, F_SETLK, &fl) == 0) {
			return 0; /* held until this process exits */
		}
	}
	return -1;
}
