/*
 * net: raw TCP for floods and proc-tree figures (net.h).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/net.h"

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A plain TCP connection from src to 127.0.0.1:port; -1 on failure. */
int
net_connect(const char *src, int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (src != NULL) {
		inet_pton(AF_INET, src, &a.sin_addr);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
			close(fd);
			return -1;
		}
	}
	a.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads until the server's version line or EOF: 1 banner, 0 closed
 * without one, -1 timeout. */
int
net_banner(int fd, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char buf[256];
	size_t n = 0;

	while (now_ms() < deadline) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t k;

		if (poll(&p, 1, 50) <= 0) {
			continue;
		}
		k = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (k <= 0) {
			return 0;
		}
		n += (size_t)k;
		buf[n] = '\0';
		if (strstr(buf, "SSH-2.0-") != NULL) {
			return 1;
		}
	}
	return -1;
}

/* Waits for the peer to close: true if it did within timeout_ms. */
bool
net_closed(int fd, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;

	while (now_ms() < deadline) {
		struct pollfd p = {fd, POLLIN, 0};
		char buf[512];

		if (poll(&p, 1, 50) > 0) {
			ssize_t k = read(fd, buf, sizeof(buf));

			if (k == 0 || (k < 0 && errno == ECONNRESET)) {
				return true;
			}
		}
	}
	return false;
}

/* The parent of pid from /proc (0 if gone). */
static pid_t
parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	pid_t pp = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL) {
		return 0;
	}
	if (fgets(buf, sizeof(buf), f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL) {
		int ppid = 0;

		if (sscanf(p + 2, "%*c %d", &ppid) == 1) {
			pp = ppid;
		}
	}
	fclose(f);
	return pp;
}

static bool
descends(pid_t pid, pid_t root)
{
	for (int depth = 0; pid > 1 && depth < 8; depth++) {
		if (pid == root) {
			return true;
		}
		pid = parent_of(pid);
	}
	return false;
}

/* The proportional set size of root and all its descendants, KiB. */
long
net_tree_pss_kib(pid_t root)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long total = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(e->d_name);
		char path[64], line[256];
		FILE *f;

		if (pid <= 0 || !descends(pid, root)) {
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
		if ((f = fopen(path, "r")) == NULL) {
			continue;
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			long kib;

			if (sscanf(line, "Pss: %ld kB", &kib) == 1) {
				total += kib;
				break;
			}
		}
		fclose(f);
	}
	if (d != NULL) {
		closedir(d);
	}
	return total;
}
