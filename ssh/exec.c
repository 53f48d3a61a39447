/*
 * Exec requests: which commands may run (the decision is the caller's,
 * cfg->exec_allowed; this file only narrows what reaches it and what
 * comes back), and starting one on pipes.  srv.h describes the contract.
 *
 * Invariants:
 *  - the client's bytes reach exec_allowed only if they are short and
 *    plain ([A-Za-z0-9 ._-]), and reach an argv only as words the
 *    callback wrote, each checked again here;
 *  - no shell: execve of the nomdesk binary with a fixed argv;
 *  - the command never gets a terminal (a new session, no controlling
 *    tty) and never the session's other descriptors.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ssh/srv_int.h"

/* Bounds when the callback leaves them 0 (see struct srv_exec_spec). */
#define EXEC_MAX_OUT_DEFAULT (1u << 20)
#define EXEC_MAX_S_DEFAULT 60

static bool
plain_byte(unsigned char c, bool space_ok)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
	       (space_ok && c == ' ');
}

static bool
plain(const char *s, size_t max, bool space_ok)
{
	size_t n = 0;

	for (; *s; s++, n++) {
		if (n >= max || !plain_byte((unsigned char)*s, space_ok)) {
			return false;
		}
	}
	return n > 0;
}

int
srv_exec_check(const struct srv_config *cfg, const char *login,
	       const char *cmd, struct srv_exec_spec *spec, const char **why)
{
	size_t n = 0;

	memset(spec, 0, sizeof(*spec));
	if (cfg->exec_allowed == NULL) {
		*why = "no commands";
		return -1;
	}
	if (cmd == NULL || !plain(cmd, SRV_EXEC_CMD_MAX, true)) {
		*why = "not a plain command";
		return -1;
	}
	if (cfg->exec_allowed(cfg->ctx, login, cmd, spec) != 0) {
		memset(spec, 0, sizeof(*spec));
		*why = "not allowed";
		return -1;
	}
	/* What comes back becomes argv: the same rules again, by us. */
	while (n < SRV_EXEC_WORDS && spec->word[n][0] != '\0') {
		if (memchr(spec->word[n], '\0', SRV_EXEC_WORD_MAX) == NULL ||
		    !plain(spec->word[n], SRV_EXEC_WORD_MAX - 1, false)) {
			break;
		}
		n++;
	}
	if (n == 0 || (n < SRV_EXEC_WORDS && spec->word[n][0] != '\0')) {
		memset(spec, 0, sizeof(*spec));
		*why = "bad words from the allow-list";
		return -1;
	}
	if (spec->max_out == 0) {
		spec->max_out = EXEC_MAX_OUT_DEFAULT;
	}
	if (spec->max_s <= 0) {
		spec->max_s = EXEC_MAX_S_DEFAULT;
	}
	*why = NULL;
	return 0;
}

void
srv_exec_line(const struct srv_exec_spec *spec, char *out, size_t outlen)
{
	size_t o = 0;

	if (outlen == 0) {
		return;
	}
	out[0] = '\0';
	for (int i = 0; i < SRV_EXEC_WORDS && spec->word[i][0] != '\0'; i++) {
		int w = snprintf(out + o, outlen - o, "%s%s", i ? " " : "",
				 spec->word[i]);

		if (w < 0 || (size_t)w >= outlen - o) {
			return; /* cut; still NUL-terminated */
		}
		o += (size_t)w;
	}
}

static int
our_end(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) {
		return -1;
	}
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void
close_pair(int p[2])
{
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0) {
			close(p[i]);
			p[i] = -1;
		}
	}
}

/* In the forked child: pipes as fds 0-2, a session of its own, exec. */
static void __attribute__((noreturn))
exec_child(const struct srv_ui_spec *ui, const struct srv_exec_spec *spec,
	   int pin[2], int pout[2], int perr[2])
{
	const char *words[SRV_EXEC_WORDS + 6];
	size_t n = 0;
	int in;

	srv_child_reset_signals();
	/* No controlling terminal, and a process group of its own that the
	 * session (and at shutdown the listener) can signal as a whole. */
	setsid();
	in = pin[0] >= 0 ? pin[0] : open("/dev/null", O_RDONLY);
	if (in < 0 || dup2(in, STDIN_FILENO) < 0 ||
	    dup2(pout[1], STDOUT_FILENO) < 0 ||
	    dup2(perr[1], STDERR_FILENO) < 0) {
		_exit(126);
	}
	words[n++] = "ssh-exec";
	words[n++] = "--as";
	words[n++] = ui->login;
	words[n++] = "--";
	for (int i = 0; i < SRV_EXEC_WORDS && spec->word[i][0] != '\0'; i++) {
		words[n++] = spec->word[i];
	}
	words[n] = NULL;
	srv_child_exec(ui, words); /* closes fds >= 3, pipes included */
}

pid_t
srv_exec_spawn(const struct srv_ui_spec *ui, const struct srv_exec_spec *spec,
	       struct srv_exec_fds *fds)
{
	int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1};
	pid_t pid;
	int saved;

	fds->in = fds->out = fds->err = -1;
	if ((spec->max_in > 0 && pipe(pin) != 0) || pipe(pout) != 0 ||
	    pipe(perr) != 0) {
		goto fail;
	}
	if ((pin[1] >= 0 && our_end(pin[1]) != 0) || our_end(pout[0]) != 0 ||
	    our_end(perr[0]) != 0) {
		goto fail;
	}
	pid = fork();
	if (pid == 0) {
		exec_child(ui, spec, pin, pout, perr);
	}
	if (pid < 0) {
		goto fail;
	}
	if (pin[0] >= 0) {
		close(pin[0]);
	}
	close(pout[1]);
	close(perr[1]);
	fds->in = pin[1];
	fds->out = pout[0];
	fds->err = perr[0];
	return pid;
fail:
	saved = errno;
	close_pair(pin);
	close_pair(pout);
	close_pair(perr);
	errno = saved;
	return -1;
}
