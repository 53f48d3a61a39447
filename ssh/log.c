/*
 * Logging for ssh/: one line per event on stderr, written atomically so
 * that the listener's and the session processes' lines never interleave.
 * Everything that came from the network is escaped before it is logged:
 * a log line must never carry a terminal escape or a fake newline.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#include "ssh/srv_int.h"

void
srv_log(const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t n;
	int k;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ", &tm);
	k = snprintf(line + n, sizeof(line) - n, " nomdesk-ssh[%ld]: ",
		     (long)getpid());
	if (k > 0) {
		n += (size_t)k;
	}
	va_start(ap, fmt);
	k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (k > 0) {
		n += (size_t)k;
	}
	if (n > sizeof(line) - 2) {
		n = sizeof(line) - 2;
	}
	line[n++] = '\n';
	/* stderr may be closed or a full pipe; a log line is not worth
	 * dying or blocking over. */
	if (write(STDERR_FILENO, line, n) < 0) {
		return;
	}
}

static void
escape(const char *in, char *out, size_t outlen, bool (*keep)(unsigned char))
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (outlen == 0) {
		return;
	}
	if (in == NULL) {
		in = "(null)";
	}
	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		size_t need = keep(c) ? 1 : 4;

		if (o + need + 4 > outlen) {
			/* room for "..." and the NUL */
			if (o + 4 <= outlen) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (need == 1) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

static bool
keep_text(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

void
srv_log_escape_text(const char *in, char *out, size_t outlen)
{
	escape(in, out, outlen, keep_text);
}

static void
libssh_log_cb(int priority, const char *function, const char *buffer,
	      void *userdata)
{
	char msg[300];

	(void)userdata;
	/* a client going away is logged by us, once, as "disconnect" */
	if (function != NULL &&
	    strcmp(function, "ssh_socket_exception_callback") == 0) {
		return;
	}
	srv_log_escape_text(buffer, msg, sizeof(msg));
	srv_log("libssh(%d): %s", priority, msg);
}

void
srv_log_libssh(void)
{
	ssh_set_log_callback(libssh_log_cb);
	ssh_set_log_level(SSH_LOG_WARNING);
}
