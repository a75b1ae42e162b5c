/* bench-spawn PROGRAM ARGS...: runs PROGRAM for scripts/bench and reports on file descriptor 3
 *   started <CLOCK_MONOTONIC ns before fork> <pid>
 *   ended <CLOCK_MONOTONIC ns after wait4> <wait status> <ru_maxrss KiB>
 *
 * Why a launcher: Linux carries a process's peak RSS across execve, so a child forked or
 * vfork-spawned by the Python bench would report at least Python's own peak (tens of MiB).
 * Forked from this small static program instead, wait4's ru_maxrss is the command's own.
 * It also takes the start time right before fork, so the figures do not include starting
 * this launcher. stdin/stdout/stderr pass through unchanged; fd 3 is closed in the child.
 * Built by scripts/bench with `cc -O2 -static`. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench-spawn PROGRAM ARGS... (report on fd 3)\n");
        return 2;
    }
    FILE *report = fdopen(3, "w");
    if (!report) {
        perror("bench-spawn: fd 3");
        return 2;
    }
    long long started = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench-spawn: fork");
        return 2;
    }
    if (pid == 0) {
        close(3);
        execv(argv[1], argv + 1);
        perror("bench-spawn: execv");
        _exit(127);
    }
    fprintf(report, "started %lld %d\n", started, (int)pid);
    fflush(report);
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) {
        perror("bench-spawn: wait4");
        return 2;
    }
    long long ended = now_ns();
    fprintf(report, "ended %lld %d %ld\n", ended, status, usage.ru_maxrss);
    fclose(report);
    return 0;
}
