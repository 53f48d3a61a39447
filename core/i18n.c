/*
 * Message catalogs.  The process runs under C.UTF-8 (the server never
 * trusts the client's LANG), so the language is chosen with LANGUAGE,
 * which GNU gettext honours under any locale but "C".
 */
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "core/i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

extern int _nl_msg_cat_cntr;

static int
has_catalog(const char *dir)
{
	char p[PATH_MAX + 64];
	struct stat sb;

	snprintf(p, sizeof(p), "%s/zh_CN/LC_MESSAGES/nomdesk.mo", dir);
	return stat(p, &sb) == 0;
}

static void
find_localedir(char *out, size_t outsz)
{
	const char *env = getenv("NOMDESK_LOCALEDIR");
	char exe[PATH_MAX], dir[PATH_MAX];
	int w;
	ssize_t n;

	if (env && *env && has_catalog(env)) {
		snprintf(out, outsz, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(dir, sizeof(dir), "%s", dirname(exe));
		w = snprintf(out, outsz, "%s/locale", dir);
		if (w > 0 && (size_t)w < outsz && has_catalog(out)) {
			return;
		}
		w = snprintf(out, outsz, "%s/../share/locale", dir);
		if (w > 0 && (size_t)w < outsz && has_catalog(out)) {
			return;
		}
	}
	snprintf(out, outsz, "%s", LOCALEDIR);
}

void
core_i18n_init(const char *lang)
{
	char dir[PATH_MAX + 32];
	const char *cur = setlocale(LC_MESSAGES, NULL);

	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0) {
		if (!setlocale(LC_ALL, "C.UTF-8")) {
			setlocale(LC_ALL, "");
		}
	}
	find_localedir(dir, sizeof(dir));
	bindtextdomain("nomdesk", dir);
	bind_textdomain_codeset("nomdesk", "UTF-8");
	setenv("LANGUAGE", lang && strcmp(lang, "en") == 0 ? "en" : "zh_CN",
	       1);
	++_nl_msg_cat_cntr; /* gettext caches translations per language */
}
