/*
 * net: what floods and their figures need, for tests and benchmarks
 * alike: TCP connections from a chosen source address in 127.0.0.0/8
 * (every one is the local host on Linux, so one machine plays many
 * attackers), the server's banner, and the memory of a process tree.
 */
#ifndef NOMDESK_TEST_NET_H
#define NOMDESK_TEST_NET_H

#include <stdbool.h>
#include <sys/types.h>

/* A TCP connection from src (NULL: any) to 127.0.0.1:port; -1. */
int net_connect(const char *src, int port);
/* Reads until the server's version line or EOF: 1 banner, 0 closed
 * without one, -1 timeout. */
int net_banner(int fd, int timeout_ms);
/* Waits for the peer to close: true if it did within timeout_ms. */
bool net_closed(int fd, int timeout_ms);
/* The proportional set size of root and its descendants, in KiB. */
long net_tree_pss_kib(pid_t root);

#endif
