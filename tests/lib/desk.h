/*
 * desk: what every end-to-end test of the desk needs: a demo data
 * directory served by `nomdesk serve`, logins over real SSH by demo
 * account, waiting for text on the emulated screen (the screen is
 * printed on failure), hanging up and waiting for the server to see it,
 * the CLI run against the same data directory, and read-only peeks
 * into the SQLite file once the UI processes have closed it.
 */
#ifndef NOMDESK_TEST_DESK_H
#define NOMDESK_TEST_DESK_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/lib/sshclient.h"

#define DESK_T_LOGIN 15000
#define DESK_T_SCREEN 8000
#define DESK_T_SIGN 20000 /* Argon2id at the host's cost, twice */

struct desk {
	struct sshclient_server srv;
	struct sshclient_account acc[32];
	size_t n_acc;
	char data[512]; /* the data directory */
	int disconnects; /* hang-ups the server has logged so far */
};

/* `nomdesk init --demo` in the test's tmpdir and `serve`; exits the test
 * binary on failure (nothing else could run). */
void desk_start(struct desk *d);
/* The same, with more `serve` options (NULL-terminated). */
void desk_start_with(struct desk *d, const char *const *serve_args);
/* Stops the server (SIGTERM). */
void desk_stop(struct desk *d);
const struct sshclient_account *desk_account(struct desk *d,
					     const char *login);
/* Logs in as a demo account at 80x24 and waits for text (NULL: the
 * account's name); exits on failure. */
struct sshclient *desk_login(struct desk *d, const char *login,
			     const char *text);
/* The same on a terminal of cols x rows. */
struct sshclient *desk_login_size(struct desk *d, const char *login,
				  const char *text, int cols, int rows);
/* Waits for text on screen; on timeout fails the test (at the caller's
 * line) with the screen, and returns false. */
#define desk_see(c, text) desk_see_at((c), (text), __FILE__, __LINE__)
bool desk_see_at(struct sshclient *c, const char *text, const char *file,
		 int line);
/* Closes the client (a hang-up) and waits until the server has logged
 * its disconnect, so the UI has finished with the database. */
void desk_hang_up(struct desk *d, struct sshclient *c);
/* Runs `nomdesk --data DIR args...` (args NULL-terminated); the exit
 * status, output in res (release it). */
int desk_cli(struct desk *d, struct sshclient_cmd *res, const char *const *args);
/* desk_cli that fails the test at file:line (with its stderr) unless the
 * command exits 0; its stdout into out (outsz bytes) unless out is NULL.
 * DESK_CLI(d, "nominee", "add", ...) for the common case. */
void desk_cli_ok_at(struct desk *d, const char *const *args, char *out,
		    size_t outsz, const char *file, int line);
#define DESK_CLI(d, ...)                                                  \
	desk_cli_ok_at((d), (const char *const[]){__VA_ARGS__, NULL}, NULL, \
		       0, __FILE__, __LINE__)
/* `nomdesk --data DIR args...` with input on its stdin (passphrases);
 * its exit status.  stdout is dropped, stderr goes to the test log. */
int desk_cli_stdin(struct desk *d, const char *input,
		   const char *const *args);
/* The first column of the first row (read-only, after hang-ups). */
long long desk_db_count(struct desk *d, const char *sql);
void desk_db_text(struct desk *d, const char *sql, char *out, size_t outsz);
/* From the home screen: the list (waiting for list_text), then nominee
 * id by number, to its screen. */
void desk_open_nominee(struct sshclient *c, const char *list_text, int id);
/*
 * On a nominee's screen of a clerk without a signing key: the actions
 * menu, the paper pledge (the first action offered), where the signed
 * form is kept, Ctrl-S, and the new key's passphrase twice; stops at the
 * "this act only / this session" choice, for the caller's Enter.
 */
void desk_paper_pledge_enrolling(struct sshclient *c, const char *kept_at,
				 const char *passphrase);

/* Presses Tab n times. */
void desk_tabs(struct sshclient *c, int n);

#endif
