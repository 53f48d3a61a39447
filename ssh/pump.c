/*
 * The byte pump between the session channel and the child the channel
 * runs: the UI on a pty (one descriptor, the master, both ways) or an
 * exec'd command on three pipes (stdout as channel data, stderr as
 * extended data).  Bounds and back-pressure are described at struct
 * srv_pump in srv_int.h.
 *
 * Invariants:
 *  - the descriptors' poll events change only in srv_pump_sync, between
 *    polls (removing a handle inside a libssh callback frees it under
 *    libssh's feet);
 *  - a pipe to the child is closed on the client's EOF only once every
 *    byte the client sent is written, and never after a bound was passed
 *    (the session kills the command first: it must not see a truncated
 *    input as complete);
 *  - an fd callback never returns a negative value (libssh would drop the
 *    handle for good).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ssh/srv_int.h"

enum { REG_OUT0, REG_OUT1, REG_IN };

void
srv_pump_init(struct srv_pump *p, ssh_session s, ssh_event ev)
{
	memset(p, 0, sizeof(*p));
	p->s = s;
	p->ev = ev;
	p->in = -1;
	for (int k = 0; k < SRV_OUT_N; k++) {
		p->out[k] = -1;
		p->out_eof[k] = true;
	}
}

void
srv_pump_start(struct srv_pump *p, int in, int out, int err,
	       bool eof_closes_in)
{
	p->in = in;
	p->out[SRV_OUT_STDOUT] = out;
	p->out[SRV_OUT_STDERR] = err;
	p->out_eof[SRV_OUT_STDOUT] = out < 0;
	p->out_eof[SRV_OUT_STDERR] = err < 0;
	p->eof_closes_in = eof_closes_in;
}

/* Hands pending output to libssh, never more than the client's window
 * (so libssh never has to wait for a window adjust inside a callback). */
void
srv_pump_out(struct srv_pump *p)
{
	while (p->out_len > 0 && !p->gone) {
		uint32_t win = ssh_channel_window_size(p->chan);
		uint32_t n = p->out_len < win ? (uint32_t)p->out_len : win;
		const char *b = p->obuf + p->out_off;
		int w;

		if (n == 0) {
			return;
		}
		w = p->out_stream == SRV_OUT_STDERR
			    ? ssh_channel_write_stderr(p->chan, b, n)
			    : ssh_channel_write(p->chan, b, n);
		if (w < 0) {
			p->gone = true;
			return;
		}
		if (w == 0) {
			return;
		}
		p->out_off += (size_t)w;
		p->out_len -= (size_t)w;
	}
	if (p->out_len == 0) {
		p->out_off = 0;
	}
}

/* May we read the child now?  Only when the last read is all handed
 * over and libssh's socket buffer has drained to the kernel. */
static bool
can_read(const struct srv_pump *p)
{
	return p->out_len == 0 && !p->gone && p->chan != NULL &&
	       ssh_channel_window_size(p->chan) > 0 &&
	       (ssh_get_poll_flags(p->s) & SSH_WRITE_PENDING) == 0;
}

/* Reads out[k] once; the byte count, 0 if nothing was there.  Past the
 * output bound everything is read and dropped. */
static size_t
read_out(struct srv_pump *p, int k, bool discard)
{
	ssize_t n;

	if (p->out[k] < 0 || p->out_eof[k]) {
		return 0;
	}
	n = read(p->out[k], p->obuf, sizeof(p->obuf));
	if (n <= 0) {
		/* EOF on a pipe; EIO on the master once every slave
		 * descriptor is closed (the UI is gone) */
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			p->out_eof[k] = true;
		}
		return 0;
	}
	if (!discard && !p->over_out && p->max_out > 0 &&
	    p->bytes_out + (uint64_t)n > p->max_out) {
		n = (ssize_t)(p->max_out - p->bytes_out);
		p->over_out = true;
	}
	p->bytes_out += (uint64_t)n;
	if (!discard && n > 0) {
		p->out_off = 0;
		p->out_len = (size_t)n;
		p->out_stream = k;
		srv_pump_out(p);
	}
	return (size_t)n;
}

size_t
srv_pump_read(struct srv_pump *p)
{
	size_t n = 0;

	for (int k = 0; k < SRV_OUT_N; k++) {
		if (p->over_out) {
			n += read_out(p, k, true);
		} else if (can_read(p)) {
			n += read_out(p, k, false);
		}
	}
	return n;
}

bool
srv_pump_out_done(const struct srv_pump *p)
{
	return p->out_eof[SRV_OUT_STDOUT] && p->out_eof[SRV_OUT_STDERR] &&
	       p->out_len == 0;
}

/* Input goes nowhere: no child input yet (or any more), or a bound. */
static bool
input_dropped(const struct srv_pump *p)
{
	return p->in < 0 || p->in_broken || p->over_in ||
	       (p->in == p->out[SRV_OUT_STDOUT] &&
		p->out_eof[SRV_OUT_STDOUT]);
}

static void
flush_in(struct srv_pump *p)
{
	ssize_t w;

	if (p->in_len == 0 || input_dropped(p)) {
		p->in_len = 0;
		return;
	}
	w = write(p->in, p->ibuf, p->in_len);
	if (w < 0 && errno != EAGAIN && errno != EINTR) {
		p->in_len = 0; /* the child is gone; drop its input */
		p->in_broken = true;
		return;
	}
	if (w > 0) {
		memmove(p->ibuf, p->ibuf + w, p->in_len - (size_t)w);
		p->in_len -= (size_t)w;
	}
}

/* Counts len more bytes of client input (all libssh holds for us that
 * we have not taken yet) against the bound; false past it, and from then
 * on every byte is dropped. */
static bool
within_max_in(struct srv_pump *p, uint64_t len)
{
	if (p->max_in > 0 && p->bytes_in + len > p->max_in) {
		p->over_in = true;
		p->in_len = 0;
		return false;
	}
	return true;
}

int
srv_pump_data(struct srv_pump *p, const void *data, uint32_t len)
{
	const char *b = data;
	size_t used = 0, k;

	if (input_dropped(p) || !within_max_in(p, len)) {
		return (int)len; /* no child (yet, or any more): drop */
	}
	if (p->in_len == 0) {
		ssize_t w = write(p->in, b, len);

		if (w > 0) {
			used = (size_t)w;
		} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
			p->in_broken = true;
			return (int)len;
		}
	}
	k = sizeof(p->ibuf) - p->in_len;
	if (k > len - used) {
		k = len - used;
	}
	memcpy(p->ibuf + p->in_len, b + used, k);
	p->in_len += k;
	used += k;
	p->bytes_in += used;
	/* What we do not take stays in libssh, which stops growing the
	 * client's window; we pull it back once the child has caught up. */
	p->in_backlog = used < len;
	return (int)used;
}

void
srv_pump_eof(struct srv_pump *p)
{
	p->in_eof = true;
}

void
srv_pump_backlog(struct srv_pump *p)
{
	size_t room;
	int n;

	if (!p->in_backlog || p->in_len > sizeof(p->ibuf) / 2 ||
	    p->chan == NULL || p->gone) {
		return;
	}
	p->in_backlog = false;
	room = sizeof(p->ibuf) - p->in_len;
	n = ssh_channel_read_nonblocking(p->chan, p->ibuf + p->in_len,
					 (uint32_t)room, 0);
	if (n > 0) {
		p->in_backlog = true; /* maybe more; look again next round */
		if (input_dropped(p) || !within_max_in(p, (uint64_t)n)) {
			return; /* read only to be dropped */
		}
		p->in_len += (size_t)n;
		p->bytes_in += (uint64_t)n;
	} else if (n == SSH_ERROR) {
		p->gone = true;
	}
	flush_in(p);
}

static int
cb_fd(socket_t fd, int revents, void *ud)
{
	struct srv_pump *p = ud;
	bool pipe_in = p->in != p->out[SRV_OUT_STDOUT];

	/* a pipe whose reader is gone says POLLERR: the write says why */
	if (fd == p->in &&
	    ((revents & POLLOUT) ||
	     (pipe_in && (revents & (POLLERR | POLLHUP))))) {
		flush_in(p);
	}
	/* POLLHUP (the writer is gone) still leaves data to read; read()
	 * says EOF or EIO once it is all out */
	for (int k = 0; k < SRV_OUT_N; k++) {
		if (fd == p->out[k] &&
		    (revents & (POLLIN | POLLHUP | POLLERR))) {
			if (p->over_out) {
				read_out(p, k, true);
			} else if (can_read(p)) {
				read_out(p, k, false);
			}
		}
	}
	return 0;
}

static void
reg_set(struct srv_pump *p, int slot, int fd, short want)
{
	if (want == p->reg[slot]) {
		return;
	}
	if (p->reg[slot] != 0) {
		ssh_event_remove_fd(p->ev, fd);
	}
	if (want != 0) {
		ssh_event_add_fd(p->ev, fd, want, cb_fd, p);
	}
	p->reg[slot] = want;
}

void
srv_pump_sync(struct srv_pump *p)
{
	bool same = p->in >= 0 && p->in == p->out[SRV_OUT_STDOUT];
	bool readable = p->over_out || can_read(p);
	short want[3] = {0, 0, 0};

	/* The client's EOF reaches a command once all its input did. */
	if (p->eof_closes_in && p->in_eof && p->in >= 0 && !same &&
	    !p->over_in && p->in_len == 0 && !p->in_backlog) {
		reg_set(p, REG_IN, p->in, 0);
		close(p->in);
		p->in = -1;
	}
	if (!p->gone) {
		for (int k = 0; k < SRV_OUT_N; k++) {
			if (p->out[k] >= 0 && !p->out_eof[k] && readable) {
				want[k] |= POLLIN;
			}
		}
		/* writable: flush our buffer, or pull back what libssh
		 * holds for us (in the main loop, outside the poll) */
		if (p->in >= 0 && !input_dropped(p) &&
		    (p->in_len > 0 || p->in_backlog)) {
			want[same ? REG_OUT0 : REG_IN] |= POLLOUT;
		}
	}
	if (p->out[SRV_OUT_STDOUT] >= 0) {
		reg_set(p, REG_OUT0, p->out[SRV_OUT_STDOUT], want[REG_OUT0]);
	}
	if (p->out[SRV_OUT_STDERR] >= 0) {
		reg_set(p, REG_OUT1, p->out[SRV_OUT_STDERR], want[REG_OUT1]);
	}
	if (p->in >= 0 && !same) {
		reg_set(p, REG_IN, p->in, want[REG_IN]);
	}
}

void
srv_pump_discard(struct srv_pump *p, int extra, bool *extra_ready,
		 int timeout_ms)
{
	struct pollfd v[1 + SRV_OUT_N];
	int idx[1 + SRV_OUT_N];
	nfds_t n = 0;

	*extra_ready = false;
	if (extra >= 0) {
		v[n] = (struct pollfd){extra, POLLIN, 0};
		idx[n++] = -1;
	}
	for (int k = 0; k < SRV_OUT_N; k++) {
		if (p->out[k] >= 0 && !p->out_eof[k]) {
			v[n] = (struct pollfd){p->out[k], POLLIN, 0};
			idx[n++] = k;
		}
	}
	if (poll(v, n, timeout_ms) <= 0) {
		return;
	}
	for (nfds_t i = 0; i < n; i++) {
		if (v[i].revents == 0) {
			continue;
		}
		if (idx[i] < 0) {
			*extra_ready = true;
		} else {
			read_out(p, idx[i], true);
		}
	}
}

void
srv_pump_release(struct srv_pump *p)
{
	bool same = p->in >= 0 && p->in == p->out[SRV_OUT_STDOUT];

	if (p->out[SRV_OUT_STDOUT] >= 0) {
		reg_set(p, REG_OUT0, p->out[SRV_OUT_STDOUT], 0);
		close(p->out[SRV_OUT_STDOUT]);
	}
	if (p->out[SRV_OUT_STDERR] >= 0) {
		reg_set(p, REG_OUT1, p->out[SRV_OUT_STDERR], 0);
		close(p->out[SRV_OUT_STDERR]);
	}
	if (p->in >= 0 && !same) {
		reg_set(p, REG_IN, p->in, 0);
		close(p->in);
	}
	p->in = p->out[SRV_OUT_STDOUT] = p->out[SRV_OUT_STDERR] = -1;
}
