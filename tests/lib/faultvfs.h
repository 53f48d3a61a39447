/*
 * A test-only SQLite VFS that fails writes and syncs on purpose (shared
 * security.md 4b level 3): it wraps the default unix VFS, counts every
 * xWrite and xSync made through it, and at the Nth one returns the error
 * the test chose, once or from then on.  Files opened through it are
 * otherwise the unix VFS's own (same locks, same bytes), so another
 * connection through the plain unix VFS sees exactly what reached disk.
 */
#ifndef NOMDESK_FAULTVFS_H
#define NOMDESK_FAULTVFS_H

/* Which I/O a fault hits. */
enum faultvfs_op {
	FAULTVFS_WRITE, /* xWrite */
	FAULTVFS_SYNC,  /* xSync */
};

/*
 * Registers the shim as "faultvfs" and makes it the default VFS, so that
 * core_open() and everything else in the process goes through it.  The
 * first call wraps the default VFS of that moment; later calls only make
 * the shim the default again.  0 or an SQLite error code.
 */
int faultvfs_install(void);

/* Makes the wrapped unix VFS the default again (the shim stays
 * registered; handles opened through it keep using it). */
void faultvfs_uninstall(void);

/*
 * Arms a fault: the nth (1-based) I/O of kind op counted from now
 * returns err (SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_FULL...);
 * with persist, every later one of that kind fails too.  Resets the
 * counters.  n = 0 arms nothing (counting only).
 */
void faultvfs_arm(enum faultvfs_op op, int n, int err, int persist);

/* Clears the fault and the counters. */
void faultvfs_clear(void);

/* I/Os of kind op seen since the last arm or clear (failed ones count). */
int faultvfs_count(enum faultvfs_op op);

/* How many I/Os the armed fault has failed so far. */
int faultvfs_failed(void);

#endif
