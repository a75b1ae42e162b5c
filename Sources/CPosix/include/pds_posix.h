#ifndef PDS_AUTH_CPOSIX_H
#define PDS_AUTH_CPOSIX_H
// glibc calls Swift's Glibc module hides: glibc >= 2.34 (Debian 12 has 2.36) exports them,
// but declares them only under _GNU_SOURCE. Declared here once, with their C types, instead
// of through @_silgen_name guesses in Swift.
#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor from `from` up.
int pds_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from);

/// posix_spawn_file_actions_addchdir_np: the child starts in `path`.
int pds_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start, so a program another
/// thread spawns meanwhile cannot inherit them.
int pds_pipe_cloexec(int fds[2]);

#endif
