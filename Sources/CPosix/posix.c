// The wrappers of pds_posix.h, compiled with _GNU_SOURCE so that glibc declares the calls.
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include "pds_posix.h"

int pds_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int pds_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int pds_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
