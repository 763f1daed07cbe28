/*
 * fault.c — the failure injector of fault.h: link-time wrappers of the C
 * allocator and of sqlite3_step, the allocators handed to jansson and to
 * SQLite, and a VFS shim whose xWrite and xSync fail on demand.
 *
 * Invariant: nothing fails while disarmed, and an armed fault fails exactly
 * one event; every wrapper otherwise hands the call on unchanged.
 */
#include "fault.h"

#include <jansson.h>
#include <sqlite3.h>

#include "lib/jsonx.h"
#include <stdlib.h>
#include <string.h>

static enum fault_kind armed = FAULT__COUNT;
static long seen, target;
static int hit;

void fault_arm(enum fault_kind kind, long k)
{
	seen = 0;
	target = k;
	hit = 0;
	armed = kind;
}

int fault_disarm(void)
{
	armed = FAULT__COUNT;
	return hit;
}

const char *fault_kind_name(enum fault_kind kind)
{
	static const char *const names[FAULT__COUNT] = { "alloc", "step-ioerr", "step-busy",
							 "write-fsync" };

	return (unsigned)kind < FAULT__COUNT ? names[kind] : "?";
}

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define TRACE() __sanitizer_print_stack_trace()
#else
#define TRACE() ((void)0)
#endif

static int trace = -1; /* FAULT_TRACE=1: print where each fault strikes */

/* Whether this event of kind is the one to fail. */
static int fail_now(enum fault_kind kind)
{
	if (armed != kind || ++seen != target)
		return 0;
	hit = 1;
	if (trace < 0)
		trace = getenv("FAULT_TRACE") != NULL;
	if (trace)
		TRACE();
	return 1;
}

static int step_fails(void)
{
	return fail_now(FAULT_STEP_IOERR) || fail_now(FAULT_STEP_BUSY);
}

/* ---- the C allocator (-Wl,--wrap=malloc,…) ---- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __real_sqlite3_step(sqlite3_stmt *s);
int __wrap_sqlite3_step(sqlite3_stmt *s);

void *__wrap_malloc(size_t n)
{
	return fail_now(FAULT_ALLOC) ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
	return fail_now(FAULT_ALLOC) ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now(FAULT_ALLOC) ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now(FAULT_ALLOC) ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fail_now(FAULT_ALLOC) ? NULL : __real_strndup(s, n);
}

/* ---- steps ---- */

int __wrap_sqlite3_step(sqlite3_stmt *s)
{
	if (step_fails())
		return armed == FAULT_STEP_BUSY ? SQLITE_BUSY : SQLITE_IOERR;
	return __real_sqlite3_step(s);
}

/* ---- jansson's and SQLite's allocators ---- */

static sqlite3_mem_methods sqlite_mem;

static void *sqlite_alloc(int n)
{
	return fail_now(FAULT_ALLOC) ? NULL : sqlite_mem.xMalloc(n);
}

static void *sqlite_realloc(void *p, int n)
{
	return fail_now(FAULT_ALLOC) ? NULL : sqlite_mem.xRealloc(p, n);
}

/* ---- the VFS shim: the default VFS, with failing writes and fsyncs ---- */

struct shim_file {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, right after this struct */
};

static sqlite3_vfs *real_vfs;

#define REAL(f) (((struct shim_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 at)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, at);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 at)
{
	if (fail_now(FAULT_IO))
		return SQLITE_FULL;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, at);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (fail_now(FAULT_IO))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int f_unlock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int f_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 at, int n, void **out)
{
	return REAL(f)->pMethods->xFetch(REAL(f), at, n, out);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 at, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), at, p);
}

static const sqlite3_io_methods shim_io = {
	3,	     f_close,	  f_read,	 f_write,     f_truncate,    f_sync,
	f_size,	     f_lock,	  f_unlock,	 f_reserved,  f_control,     f_sector,
	f_device,    f_shm_map,	  f_shm_lock,	 f_shm_barrier, f_shm_unmap, f_fetch,
	f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct shim_file *sf = (struct shim_file *)f;
	int rc;

	sf->real = (sqlite3_file *)(sf + 1);
	memset(sf->real, 0, (size_t)real_vfs->szOsFile);
	rc = real_vfs->xOpen(real_vfs, name, sf->real, flags, out);
	/* xClose is called when pMethods is set, even after a failed open */
	sf->base.pMethods = sf->real->pMethods ? &shim_io : NULL;
	return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
	return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	real_vfs->xDlError(real_vfs, n, out);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
	real_vfs->xDlClose(real_vfs, h);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
	return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, double *out)
{
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs shim_vfs = {
	.iVersion = 2,
	.zName = "itsm-fault",
	.xOpen = v_open,
	.xDelete = v_delete,
	.xAccess = v_access,
	.xFullPathname = v_full,
	.xDlOpen = v_dlopen,
	.xDlError = v_dlerror,
	.xDlSym = v_dlsym,
	.xDlClose = v_dlclose,
	.xRandomness = v_random,
	.xSleep = v_sleep,
	.xCurrentTime = v_time,
	.xGetLastError = v_last_error,
	.xCurrentTimeInt64 = v_time64,
};

void fault_install(void)
{
	sqlite3_mem_methods mine;

	jx_watch_alloc(); /* jansson's malloc is then ours, wrapped */
	sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem);
	mine = sqlite_mem;
	mine.xMalloc = sqlite_alloc;
	mine.xRealloc = sqlite_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK)
		abort();
	real_vfs = sqlite3_vfs_find(NULL);
	shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile;
	shim_vfs.mxPathname = real_vfs->mxPathname;
	if (sqlite3_vfs_register(&shim_vfs, 1) != SQLITE_OK)
		abort();
}
