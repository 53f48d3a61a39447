/*
 * The fault-injecting SQLite VFS of the tests (tests/lib/faultvfs.h), on
 * the pattern of SQLite's own test VFSes (src/test_vfstrace.c): a VFS
 * whose files wrap the unix VFS's files, forwarding every method, with
 * xWrite and xSync counted and failed on demand.  Test-only: nothing in
 * core/ knows it exists; the tests make it the default VFS around the
 * acts they break.
 */
#include <sqlite3.h>
#include <string.h>

#include "tests/lib/faultvfs.h"

struct fv_file {
	sqlite3_file base;
	sqlite3_file *real; /* the unix file, allocated right after */
};

static struct {
	sqlite3_vfs *real; /* the wrapped VFS */
	sqlite3_vfs vfs;
	int registered;
	int count[2]; /* by enum faultvfs_op */
	enum faultvfs_op op;
	int at; /* 1-based I/O of kind op that fails; 0: none */
	int err;
	int persist;
	int failed;
} fv;

/* Counts one I/O of kind op; the error to return, or SQLITE_OK. */
static int
fv_tick(enum faultvfs_op op)
{
	int n = ++fv.count[op];

	if (fv.at > 0 && op == fv.op &&
	    (n == fv.at || (fv.persist && n > fv.at))) {
		fv.failed++;
		return fv.err;
	}
	return SQLITE_OK;
}

static sqlite3_file *
real_of(sqlite3_file *f)
{
	return ((struct fv_file *)f)->real;
}

static int
fv_close(sqlite3_file *f)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
}

static int
fv_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xRead(r, buf, amt, off);
}

static int
fv_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	sqlite3_file *r = real_of(f);
	int rc = fv_tick(FAULTVFS_WRITE);

	if (rc != SQLITE_OK) {
		return rc; /* nothing reaches the file */
	}
	return r->pMethods->xWrite(r, buf, amt, off);
}

static int
fv_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xTruncate(r, size);
}

static int
fv_sync(sqlite3_file *f, int flags)
{
	sqlite3_file *r = real_of(f);
	int rc = fv_tick(FAULTVFS_SYNC);

	if (rc != SQLITE_OK) {
		return rc;
	}
	return r->pMethods->xSync(r, flags);
}

static int
fv_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xFileSize(r, size);
}

static int
fv_lock(sqlite3_file *f, int level)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xLock(r, level);
}

static int
fv_unlock(sqlite3_file *f, int level)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xUnlock(r, level);
}

static int
fv_check_reserved(sqlite3_file *f, int *out)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xCheckReservedLock(r, out);
}

static int
fv_file_control(sqlite3_file *f, int op, void *arg)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xFileControl(r, op, arg);
}

static int
fv_sector_size(sqlite3_file *f)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xSectorSize(r);
}

static int
fv_device_characteristics(sqlite3_file *f)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xDeviceCharacteristics(r);
}

static int
fv_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xShmMap(r, pg, pgsz, extend, pp);
}

static int
fv_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xShmLock(r, offset, n, flags);
}

static void
fv_shm_barrier(sqlite3_file *f)
{
	sqlite3_file *r = real_of(f);

	r->pMethods->xShmBarrier(r);
}

static int
fv_shm_unmap(sqlite3_file *f, int del)
{
	sqlite3_file *r = real_of(f);

	return r->pMethods->xShmUnmap(r, del);
}

static int
fv_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	sqlite3_file *r = real_of(f);

	if (r->pMethods->iVersion < 3) {
		*pp = NULL;
		return SQLITE_OK;
	}
	return r->pMethods->xFetch(r, off, amt, pp);
}

static int
fv_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	sqlite3_file *r = real_of(f);

	if (r->pMethods->iVersion < 3) {
		return SQLITE_OK;
	}
	return r->pMethods->xUnfetch(r, off, p);
}

static const sqlite3_io_methods fv_io = {
    3,
    fv_close,
    fv_read,
    fv_write,
    fv_truncate,
    fv_sync,
    fv_file_size,
    fv_lock,
    fv_unlock,
    fv_check_reserved,
    fv_file_control,
    fv_sector_size,
    fv_device_characteristics,
    fv_shm_map,
    fv_shm_lock,
    fv_shm_barrier,
    fv_shm_unmap,
    fv_fetch,
    fv_unfetch,
};

static int
fv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
        int *out_flags)
{
	struct fv_file *p = (struct fv_file *)f;
	int rc;

	(void)vfs;
	p->real = (sqlite3_file *)&p[1];
	rc = fv.real->xOpen(fv.real, name, p->real, flags, out_flags);
	p->base.pMethods = rc == SQLITE_OK && p->real->pMethods ? &fv_io : NULL;
	return rc;
}

static int
fv_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return fv.real->xDelete(fv.real, name, sync_dir);
}

static int
fv_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return fv.real->xAccess(fv.real, name, flags, out);
}

static int
fv_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return fv.real->xFullPathname(fv.real, name, n, out);
}

static void *
fv_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return fv.real->xDlOpen(fv.real, name);
}

static void
fv_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	fv.real->xDlError(fv.real, n, msg);
}

static void (*fv_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return fv.real->xDlSym(fv.real, h, sym);
}

static void
fv_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	fv.real->xDlClose(fv.real, h);
}

static int
fv_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fv.real->xRandomness(fv.real, n, out);
}

static int
fv_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return fv.real->xSleep(fv.real, us);
}

static int
fv_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return fv.real->xCurrentTime(fv.real, out);
}

static int
fv_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fv.real->xGetLastError(fv.real, n, out);
}

static int
fv_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return fv.real->xCurrentTimeInt64(fv.real, out);
}

int
faultvfs_install(void)
{
	int rc;

	if (!fv.registered) {
		if (!(fv.real = sqlite3_vfs_find(NULL))) {
			return SQLITE_ERROR;
		}
		fv.vfs.iVersion = 2;
		fv.vfs.szOsFile =
		    (int)sizeof(struct fv_file) + fv.real->szOsFile;
		fv.vfs.mxPathname = fv.real->mxPathname;
		fv.vfs.zName = "faultvfs";
		fv.vfs.xOpen = fv_open;
		fv.vfs.xDelete = fv_delete;
		fv.vfs.xAccess = fv_access;
		fv.vfs.xFullPathname = fv_full_pathname;
		fv.vfs.xDlOpen = fv_dlopen;
		fv.vfs.xDlError = fv_dlerror;
		fv.vfs.xDlSym = fv_dlsym;
		fv.vfs.xDlClose = fv_dlclose;
		fv.vfs.xRandomness = fv_randomness;
		fv.vfs.xSleep = fv_sleep;
		fv.vfs.xCurrentTime = fv_current_time;
		fv.vfs.xGetLastError = fv_last_error;
		fv.vfs.xCurrentTimeInt64 = fv_current_time64;
	}
	if ((rc = sqlite3_vfs_register(&fv.vfs, 1)) != SQLITE_OK) {
		return rc;
	}
	fv.registered = 1;
	return SQLITE_OK;
}

void
faultvfs_uninstall(void)
{
	if (fv.registered) {
		sqlite3_vfs_register(fv.real, 1);
	}
}

void
faultvfs_arm(enum faultvfs_op op, int n, int err, int persist)
{
	memset(fv.count, 0, sizeof(fv.count));
	fv.op = op;
	fv.at = n;
	fv.err = err;
	fv.persist = persist;
	fv.failed = 0;
}

void
faultvfs_clear(void)
{
	faultvfs_arm(FAULTVFS_WRITE, 0, SQLITE_OK, 0);
}

int
faultvfs_count(enum faultvfs_op op)
{
	return fv.count[op];
}

int
faultvfs_failed(void)
{
	return fv.failed;
}
