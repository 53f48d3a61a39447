/*
 * golden: screens pinned as files and compared cell by cell.
 *
 * A golden file (tests/golden/NAME.txt) is the screen a person saw: a
 * header with the size and the cursor, then one line per row ("|" and
 * the row's text, a double-width character written once), each followed
 * by an "@" line when some cell of the row has attributes or colours:
 * runs "FIRST-LAST:SPEC" of columns, SPEC a comma list of b (bold),
 * u (underline), r (reverse), i (italic), k (blink), fN / gN (palette
 * foreground / background).  So every cell's character, width,
 * attributes and colours are in the file, and a difference in any cell
 * is a difference in the file; a review reads the screen as it looks.
 *
 * What changes from run to run (times, digests, key fingerprints) is
 * masked: each POSIX extended regex in masks is matched against every
 * row, and the cells a match covers are written as '#' (two for a wide
 * cell), in the golden and in the screen compared with it.
 *
 * NOMDESK_GOLDEN_UPDATE=1 (make golden) writes the files instead of
 * comparing; review them with git diff.  NOMDESK_GOLDEN_DIR overrides
 * tests/golden (relative to the working directory, the repository root
 * under make).
 */
#ifndef NOMDESK_TEST_GOLDEN_H
#define NOMDESK_TEST_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>

struct sshclient;
struct vt;

/* Times, dates and hex digests: what every screen of the desk masks. */
extern const char *const golden_masks_common[];

/*
 * Waits (up to 5 s, pumping) until the client's screen equals the golden
 * NAME under the masks (NULL: golden_masks_common); on timeout fails the
 * test at the caller's line with every differing row and writes the
 * screen as seen to $NOMDESK_GOLDEN_ACTUAL/NAME.txt (default
 * /tmp/nomdesk-golden-actual; make check sets BUILD/golden-actual, so
 * `diff -r tests/golden BUILD/golden-actual` shows it all).  In update
 * mode it waits
 * for the screen to be quiet (300 ms), then writes the golden.  Returns
 * true when the screen matched (or was written).
 */
#define golden_check(c, name, masks)                                      \
	golden_check_at((c), (name), (masks), __FILE__, __LINE__)
bool golden_check_at(struct sshclient *c, const char *name,
		     const char *const *masks, const char *file, int line);

/*
 * The golden text of a screen (the format above) into buf; returns its
 * length (truncated to fit).  For tests of the format itself.
 */
size_t golden_render(const struct vt *vt, const char *const *masks,
		     char *buf, size_t size);

#endif
