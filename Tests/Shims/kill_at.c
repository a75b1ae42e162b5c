// LD_PRELOAD shim for the atomicity tests: kills the process with SIGKILL at a chosen step
// of a credentials save, so "killed exactly here" is deterministic instead of a random
// sleep that usually misses the write. Built by the tests with `cc -shared -fPIC`.
//
// PDS_TEST_KILL_AT=STEP:N picks the Nth occurrence of STEP (PDS_TEST_FAIL_AT=STEP:N instead
// makes that call fail with EIO, for write-temp, fsync-temp and rename):
//   write-temp     a write(2) to a credentials temp file: half the bytes are written, then death
//   wrote-temp     a write(2) to a credentials temp file: all the bytes are written, then death
//   fsync-temp     fsync(2) of a credentials temp file, before it runs (the data is written)
//   rename         rename(2) onto credentials.json, before it runs
//   fsync-dir      fsync(2) of the credentials directory, after the rename
//   connect        connect(2) of an IP socket, before it runs (nothing has been sent)
//   store-before   libsecret's secret_password_storev_sync, before it runs (no item yet)
//   store-after    secret_password_storev_sync, after the item was stored
//   clear-before   libsecret's secret_password_clearv_sync, before it runs
// The libsecret steps wrap the functions pds-auth's loader gets from dlsym (libsecret is
// opened with RTLD_LOCAL, so interposing the functions themselves would not reach it).
//
// PDS_TEST_SWAP_DIR=DIR plays another user who can rename entries in the temporary root:
// a directory made with mkdirat(2) whose name starts with "pds-auth-" is renamed aside
// (NAME.moved) and a symbolic link to DIR put in its place, before mkdirat returns.
// PDS_TEST_SWAP_STAT=NAME:DIR: the first fstatat(2) of NAME is answered, then NAME is renamed
// aside (NAME.moved) and DIR moved into its place (a directory replaced between a look and
// an open).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int matches_in(const char *variable, int *counts, const char *step) {
    static const char *steps[] = {"write-temp", "wrote-temp", "fsync-temp", "rename", "fsync-dir", "connect", "store-before", "store-after", "clear-before"};
    const char *wanted = getenv(variable);
    if (!wanted) return 0;
    const char *colon = strchr(wanted, ':');
    if (!colon || strncmp(wanted, step, (size_t)(colon - wanted)) != 0 || strlen(step) != (size_t)(colon - wanted)) return 0;
    for (int i = 0; i < 9; i++) {
        if (strcmp(steps[i], step) == 0) return __atomic_add_fetch(&counts[i], 1, __ATOMIC_SEQ_CST) == atoi(colon + 1);
    }
    return 0;
}

static int matches(const char *step) {
    static int counts[16];
    return matches_in("PDS_TEST_KILL_AT", counts, step);
}

static int fails(const char *step) {
    static int counts[16];
    if (!matches_in("PDS_TEST_FAIL_AT", counts, step)) return 0;
    errno = EIO;
    return 1;
}

static void path_of(int fd, char *out, size_t size) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, size - 1);
    out[n > 0 ? n : 0] = 0;
}

static int is_temp(int fd) {
    char path[4096];
    path_of(fd, path, sizeof path);
    return strstr(path, "/.credentials.json.tmp-") != NULL;
}

static int is_credentials_dir(int fd) {
    char path[4096], probe[4200];
    struct stat info;
    path_of(fd, path, sizeof path);
    snprintf(probe, sizeof probe, "%s/credentials.lock", path);
    return fstat(fd, &info) == 0 && S_ISDIR(info.st_mode) && access(probe, F_OK) == 0;
}

static void die(void) { kill(getpid(), SIGKILL); for (;;) pause(); }

ssize_t write(int fd, const void *buffer, size_t count) {
    static ssize_t (*real)(int, const void *, size_t);
    if (!real) real = dlsym(RTLD_NEXT, "write");
    if (count > 1 && is_temp(fd) && fails("write-temp")) return -1;
    if (count > 1 && is_temp(fd) && matches("write-temp")) {
        real(fd, buffer, count / 2);
        die();
    }
    if (count > 1 && is_temp(fd) && matches("wrote-temp")) {
        real(fd, buffer, count);
        die();
    }
    return real(fd, buffer, count);
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = dlsym(RTLD_NEXT, "fsync");
    if (is_temp(fd) && fails("fsync-temp")) return -1;
    if (is_temp(fd) && matches("fsync-temp")) die();
    if (is_credentials_dir(fd) && matches("fsync-dir")) die();
    return real(fd);
}

int rename(const char *from, const char *to) {
    static int (*real)(const char *, const char *);
    if (!real) real = dlsym(RTLD_NEXT, "rename");
    size_t length = strlen(to);
    int target = length >= 17 && strcmp(to + length - 17, "/credentials.json") == 0;
    if (target && fails("rename")) return -1;
    if (target && matches("rename")) die();
    return real(from, to);
}

int connect(int fd, const struct sockaddr *address, socklen_t length) {
    static int (*real)(int, const struct sockaddr *, socklen_t);
    if (!real) real = dlsym(RTLD_NEXT, "connect");
    if ((address->sa_family == AF_INET || address->sa_family == AF_INET6) && matches("connect")) die();
    return real(fd, address, length);
}

typedef int (*storev_function)(const void *, void *, const char *, const char *, const char *, void *, void **);
typedef int (*clearv_function)(const void *, void *, void *, void **);
static storev_function real_storev;
static clearv_function real_clearv;

static int storev(const void *schema, void *attributes, const char *collection, const char *label, const char *secret,
                  void *cancellable, void **error) {
    if (matches("store-before")) die();
    int stored = real_storev(schema, attributes, collection, label, secret, cancellable, error);
    if (matches("store-after")) die();
    return stored;
}

static int clearv(const void *schema, void *attributes, void *cancellable, void **error) {
    if (matches("clear-before")) die();
    return real_clearv(schema, attributes, cancellable, error);
}

void *dlsym(void *handle, const char *symbol) {
    static void *(*real)(void *, const char *);
    if (!real) real = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
    if (!real) real = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
    void *found = real(handle, symbol);
    if (found && strcmp(symbol, "secret_password_storev_sync") == 0) {
        real_storev = (storev_function)found;
        return (void *)storev;
    }
    if (found && strcmp(symbol, "secret_password_clearv_sync") == 0) {
        real_clearv = (clearv_function)found;
        return (void *)clearv;
    }
    return found;
}

int mkdirat(int directory, const char *path, mode_t mode) {
    static int (*real)(int, const char *, mode_t);
    if (!real) real = dlsym(RTLD_NEXT, "mkdirat");
    int result = real(directory, path, mode);
    const char *target = getenv("PDS_TEST_SWAP_DIR");
    if (result == 0 && target && strncmp(path, "pds-auth-", 9) == 0) {
        char moved[4200];
        snprintf(moved, sizeof moved, "%s.moved", path);
        renameat(directory, path, directory, moved);
        symlinkat(target, directory, path);
    }
    return result;
}

static void swap_after_stat(int directory, const char *path) {
    static int done;
    const char *wanted = getenv("PDS_TEST_SWAP_STAT");
    const char *colon = wanted ? strchr(wanted, ':') : NULL;
    if (!colon || done || strlen(path) != (size_t)(colon - wanted) || strncmp(path, wanted, (size_t)(colon - wanted)) != 0) return;
    done = 1;
    char moved[4200];
    snprintf(moved, sizeof moved, "%s.moved", path);
    renameat(directory, path, directory, moved);
    renameat(AT_FDCWD, colon + 1, directory, path);
}

int fstatat(int directory, const char *path, struct stat *info, int flags) {
    static int (*real)(int, const char *, struct stat *, int);
    if (!real) real = dlsym(RTLD_NEXT, "fstatat");
    int result = real(directory, path, info, flags);
    swap_after_stat(directory, path);
    return result;
}

int fstatat64(int directory, const char *path, struct stat64 *info, int flags) {
    static int (*real)(int, const char *, struct stat64 *, int);
    if (!real) real = dlsym(RTLD_NEXT, "fstatat64");
    int result = real(directory, path, info, flags);
    swap_after_stat(directory, path);
    return result;
}
