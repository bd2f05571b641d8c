#define _GNU_SOURCE
#include "CLinuxShim.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <link.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/signalfd.h>
#include <sched.h>
#include <pthread.h>

_Static_assert(sizeof(cshim_ucred) == sizeof(struct ucred), "ucred layout");

int cshim_peercred(int fd, cshim_ucred *out) {
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    out->pid = cred.pid;
    out->uid = cred.uid;
    out->gid = cred.gid;
    return 0;
}

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* What the spawn child gets: the attributes, the parent's pid, and where it leaves the errno of a
   step that failed (0: exec succeeded), in a page shared with the parent whether or not the child
   shares the parent's memory. */
struct spawn_child {
    const cshim_spawn_attr *a;
    pid_t parent;
    volatile int *err;
};

static _Noreturn void child_fail(struct spawn_child *c, int err) {
    *c->err = err ? err : EINVAL;
    _exit(127);
}

/* The kernel's sigaction and a full 64-signal mask, for raw rt_sigaction / rt_sigprocmask: glibc's
   wrappers leave its own two signals (32, 33) out of every mask and refuse to reset them. */
struct spawn_kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};
static const uint64_t spawn_all_signals = ~(uint64_t)0;
static const uint64_t spawn_no_signals = 0;

/* sched_setattr(2)'s argument, its first version (48 bytes): glibc before 2.41 does not declare it. */
struct cshim_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
};
#define CSHIM_SCHED_FLAG_RESET_ON_FORK 0x01

int cshim_set_time_slice(uint64_t ns) {
    struct cshim_sched_attr attr;
    memset(&attr, 0, sizeof(attr));
    if (syscall(SYS_sched_getattr, 0, &attr, sizeof(attr), 0) != 0) return -errno;
    /* Only the fair policies have a slice (SCHED_OTHER 0, SCHED_BATCH 3). */
    if (attr.sched_policy != SCHED_OTHER && attr.sched_policy != SCHED_BATCH) return 0;
    attr.size = sizeof(attr);
    attr.sched_flags &= CSHIM_SCHED_FLAG_RESET_ON_FORK;
    attr.sched_runtime = ns;
    attr.sched_deadline = 0;
    attr.sched_period = 0;
    if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0) return -errno;
    return 0;
}

int64_t cshim_time_slice(pid_t tid) {
    struct cshim_sched_attr attr;
    memset(&attr, 0, sizeof(attr));
    if (syscall(SYS_sched_getattr, tid, &attr, sizeof(attr), 0) != 0) return -errno;
    return (int64_t)attr.sched_runtime;
}

/* The child of cshim_spawn, running while the parent's thread waits (CLONE_VFORK) on a stack of its
   own. Usually it runs in the parent's memory (CLONE_VM), so it makes system calls only and writes
   nothing but its own stack and *c->err: no malloc, no lock, no stdio, no glibc wrapper that keeps
   per-thread state. Credentials change with raw system calls: glibc's setgroups/setresgid/setresuid
   wrappers walk the (shared) parent's thread list. Once the child changed its uid, the shared memory
   is non-dumpable (the kernel's doing with fs.suid_dumpable 0 or 2, else the parent spawns with a
   copy of its memory: spawn_shares_memory; the child's prctl either way): never set it dumpable
   again in a process that spawns, or another process of the check account could reach the root
   parent's memory through the child. */
static int spawn_child_main(void *arg) {
    struct spawn_child *c = arg;
    const cshim_spawn_attr *a = c->a;
    int n = a->pass_count;
    int above = 3 + n;
    /* Default dispositions, no alternate stack (the parent thread's would be used), and every
       signal blocked until exec: ignored signals would survive exec otherwise, and a handler must
       never run here, in the parent's memory. */
    struct spawn_kernel_sigaction dfl = { .handler = SIG_DFL };
    for (int s = 1; s <= 64; s++) {
        if (s == SIGKILL || s == SIGSTOP) continue;
        syscall(SYS_rt_sigaction, s, &dfl, NULL, sizeof(uint64_t));
    }
    stack_t no_stack = { .ss_flags = SS_DISABLE };
    syscall(SYS_sigaltstack, &no_stack, NULL);
    /* A parent that died before the signal was armed is not noticed by it: check. */
    if (a->die_with_parent && (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != c->parent)) child_fail(c, ESRCH);
    if (a->new_session) { if (setsid() < 0) child_fail(c, errno); }
    else if (a->new_process_group) { if (setpgid(0, 0) != 0) child_fail(c, errno); }

    /* Move every fd we keep above the range we are about to fill (0 .. 2 + n), then place
       them. Just above that range, not at a fixed high number: a process whose RLIMIT_NOFILE
       is small (256 or less) must still be able to spawn. */
    int tmp[64];
    int std_src[3] = { a->stdin_fd, a->stdout_fd, a->stderr_fd };
    int std_tmp[3];
    for (int i = 0; i < 3; i++) {
        int src = std_src[i];
        if (src < 0) {
            src = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", (i == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC, 0);
            if (src < 0) child_fail(c, errno);
        }
        std_tmp[i] = fcntl(src, F_DUPFD_CLOEXEC, above);
        if (std_tmp[i] < 0) child_fail(c, errno);
    }
    int exec_fd = -1;
    int netns_fd = -1;
    if (a->use_netns) {
        /* keep the namespace descriptor out of the range we fill below */
        netns_fd = fcntl(a->netns_fd, F_DUPFD_CLOEXEC, above);
        if (netns_fd < 0) child_fail(c, errno);
    }
    int landlock_fd = -1;
    if (a->use_landlock) {
        landlock_fd = fcntl(a->landlock_fd, F_DUPFD_CLOEXEC, above);
        if (landlock_fd < 0) child_fail(c, errno);
    }
    if (a->exec_fd >= above) {
        /* Above every dup2 target below: exec that very descriptor (the launcher's seccomp
           filter allows execveat only on its program descriptor slots). */
        exec_fd = a->exec_fd;
    } else if (a->exec_fd >= 0) {
        exec_fd = fcntl(a->exec_fd, F_DUPFD_CLOEXEC, above);
        if (exec_fd < 0) child_fail(c, errno);
    }
    for (int i = 0; i < n; i++) {
        tmp[i] = fcntl(a->pass_fds[i], F_DUPFD_CLOEXEC, above);
        if (tmp[i] < 0) child_fail(c, errno);
    }
    for (int i = 0; i < 3; i++) if (dup2(std_tmp[i], i) < 0) child_fail(c, errno);
    for (int i = 0; i < n; i++) if (dup2(tmp[i], 3 + i) < 0) child_fail(c, errno);
    /* Everything else closes at exec. */
    if (syscall(SYS_close_range, 3 + n, ~0U, CLOSE_RANGE_CLOEXEC) != 0) child_fail(c, errno);

    if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) child_fail(c, errno);
    /* Best effort: a daemon keeps running with the parent's slice if this fails. */
    if (a->default_time_slice) cshim_set_time_slice(0);
    if (a->nofile_limit) {
        struct rlimit rl = { a->nofile_limit, a->nofile_limit };
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) child_fail(c, errno);
    }
    if (a->set_ids) {
        if (syscall(SYS_setgroups, 0, NULL) != 0) child_fail(c, errno);
        if (syscall(SYS_setresgid, a->gid, a->gid, a->gid) != 0) child_fail(c, errno);
        if (syscall(SYS_setresuid, a->uid, a->uid, a->uid) != 0) child_fail(c, errno);
        /* Not dumpable until exec, whatever fs.suid_dumpable says (exec sets it for the program). */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) child_fail(c, errno);
        /* A change of credentials clears the parent-death signal: set it again, and check
           that the parent did not die in between. */
        if (a->die_with_parent && (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != c->parent)) child_fail(c, ESRCH);
    }
    if (a->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) child_fail(c, errno);
    if (landlock_fd >= 0 && syscall(SYS_landlock_restrict_self, landlock_fd, 0) != 0) child_fail(c, errno);

    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &spawn_no_signals, NULL, sizeof(uint64_t));
    if (exec_fd >= 0) {
        syscall(SYS_execveat, exec_fd, "", a->argv, a->envp, AT_EMPTY_PATH);
    } else {
        execve(a->path, a->argv, a->envp);
    }
    child_fail(c, errno);
}

/* The spawn child's stack: its frame needs a few KiB; below it, a guard page. */
#define SPAWN_CHILD_STACK (64 * 1024)

/* Tests run the spawns that change uid on the copy path too (cshim_spawn_share_memory). */
static volatile int spawn_memory_sharing_allowed = 1;

void cshim_spawn_share_memory(int allowed) { spawn_memory_sharing_allowed = allowed; }

/* Whether a child may run in the parent's memory until exec. Not when it changes its uid and
   fs.suid_dumpable is not 0 (or cannot be read): the kernel would then leave the shared memory
   dumpable, and another process of the child's new uid could open /proc/<child>/mem, which is the
   root parent's memory (2 is safe too: the memory is then only root's to inspect). Such a child
   gets a copy of the parent's memory (the cost of a fork). */
static int spawn_shares_memory(const cshim_spawn_attr *a) {
    if (!spawn_memory_sharing_allowed) return 0;
    if (!a->set_ids) return 1;
    int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/sys/fs/suid_dumpable", O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return 0;
    char value[4] = { 0 };
    ssize_t n = read(fd, value, sizeof(value) - 1);
    close(fd);
    return n >= 1 && (value[0] == '0' || value[0] == '2') && (n == 1 || value[1] == '\n');
}

pid_t cshim_spawn(const cshim_spawn_attr *a, int *child_errno) {
    *child_errno = 0;
    if (a->pass_count < 0 || a->pass_count > 64) { *child_errno = E2BIG; return -1; }
    int flags = CLONE_VFORK | SIGCHLD | (spawn_shares_memory(a) ? CLONE_VM : 0);
    size_t guard = (size_t)sysconf(_SC_PAGESIZE);
    char *stack = mmap(NULL, guard + SPAWN_CHILD_STACK, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) { *child_errno = errno; return -1; }
    volatile int *err = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (err == MAP_FAILED || mprotect(stack, guard, PROT_NONE) != 0) {
        *child_errno = errno;
        if (err != MAP_FAILED) munmap((void *)err, sizeof(int));
        munmap(stack, guard + SPAWN_CHILD_STACK);
        return -1;
    }
    *err = 0;
    struct spawn_child child = { .a = a, .parent = getpid(), .err = err };

    uint64_t old = 0;
    /* No handler runs in the child before exec (glibc's two internal signals included). */
    if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &spawn_all_signals, &old, sizeof(uint64_t)) != 0) {
        *child_errno = errno;
        munmap((void *)err, sizeof(int));
        munmap(stack, guard + SPAWN_CHILD_STACK);
        return -1;
    }
    /* vfork semantics without fork's cost: with CLONE_VM no page tables are copied and there are no
       copy-on-write faults after it in either process. This thread resumes once the child executed
       or exited. */
    pid_t pid = clone(spawn_child_main, stack + guard + SPAWN_CHILD_STACK, flags, &child);
    int clone_errno = errno;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof(uint64_t));
    munmap(stack, guard + SPAWN_CHILD_STACK);
    int failed = *err;
    munmap((void *)err, sizeof(int));
    if (pid < 0) { *child_errno = clone_errno; return -1; }
    if (failed != 0) {
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        *child_errno = failed;
        return -1;
    }
    return pid;
}

int64_t cshim_fs_magic(int fd) {
    struct statfs s;
    if (fstatfs(fd, &s) != 0) return -1;
    return (int64_t)(unsigned long)s.f_type;
}

int cshim_start_writeback(int fd) {
    return sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

int cshim_open_beneath(int dirfd, const char *path, int flags, uint32_t mode) {
    struct open_how how;
    memset(&how, 0, sizeof(how));
    how.flags = (uint64_t)(unsigned)flags;
    how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    long r;
    do { r = syscall(SYS_openat2, dirfd, path, &how, sizeof(how)); } while (r < 0 && errno == EINTR);
    return (int)r;
}

int cshim_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }
int cshim_drop_bounding_capability(int cap) { return prctl(PR_CAPBSET_DROP, cap, 0, 0, 0); }
int cshim_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }

int cshim_cap_last(void) {
    int last = 40;
    while (last < 64 && prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) last++;
    while (last > 0 && prctl(PR_CAPBSET_READ, last, 0, 0, 0) < 0) last--;
    return last;
}

int cshim_set_nofile(uint64_t limit) {
    struct rlimit rl = { limit, limit };
    return setrlimit(RLIMIT_NOFILE, &rl);
}

const int cshim_O_PATH = O_PATH;
int cshim_pipe2_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
int cshim_accept_cloexec(int fd) { return accept4(fd, NULL, NULL, SOCK_CLOEXEC); }

#include <linux/capability.h>

int cshim_capget(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof(data));
    if (syscall(SYS_capget, &header, data) != 0) return -1;
    *effective = (uint64_t)data[0].effective | ((uint64_t)data[1].effective << 32);
    *permitted = (uint64_t)data[0].permitted | ((uint64_t)data[1].permitted << 32);
    *inheritable = (uint64_t)data[0].inheritable | ((uint64_t)data[1].inheritable << 32);
    return 0;
}

int cshim_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    data[0].effective = (uint32_t)effective;    data[1].effective = (uint32_t)(effective >> 32);
    data[0].permitted = (uint32_t)permitted;    data[1].permitted = (uint32_t)(permitted >> 32);
    data[0].inheritable = (uint32_t)inheritable; data[1].inheritable = (uint32_t)(inheritable >> 32);
    return (int)syscall(SYS_capset, &header, data);
}

int cshim_capability_in_bounding_set(int cap) { return prctl(PR_CAPBSET_READ, cap, 0, 0, 0); }
int cshim_clear_ambient_capabilities(void) { return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); }

int cshim_dup_to_free_slot(int fd, int slot) {
    if (fcntl(slot, F_GETFD) >= 0) { errno = EBUSY; return -1; }
    int r = fcntl(fd, F_DUPFD_CLOEXEC, slot);
    if (r < 0) return -1;
    if (r != slot) { close(r); errno = EBUSY; return -1; }
    return r;
}

long cshim_probe_fork(void) {
    long pid = syscall(SYS_clone, (unsigned long)SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid((pid_t)pid, NULL, 0);
    return pid;
}

long cshim_probe_execveat(int fd, const char *path, char *const *argv, char *const *envp, int flags) {
    return syscall(SYS_execveat, fd, path, argv, envp, flags);
}

long cshim_probe_close(uint64_t fd) { return syscall(SYS_close, fd); }
long cshim_probe_ptrace_traceme(void) { return syscall(SYS_ptrace, 0L, 0L, 0L, 0L); }
long cshim_probe_unshare_mount_namespace(void) { return syscall(SYS_unshare, (long)CLONE_NEWNS); }
long cshim_probe_mount_proc(void) { return syscall(SYS_mount, "proc", "/proc", "proc", 0L, NULL); }

int cshim_signalfd(const sigset_t *mask) { return signalfd(-1, mask, SFD_CLOEXEC); }

int cshim_read_signalfd(int fd) {
    struct signalfd_siginfo info;
    ssize_t n;
    do { n = read(fd, &info, sizeof(info)); } while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof(info) ? (int)info.ssi_signo : -1;
}

#include <linux/landlock.h>

int cshim_landlock_restrict_execute(const char *const *paths, int count) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) {
        if (errno == ENOSYS || errno == EOPNOTSUPP) return 0;
        return -1;
    }
    struct landlock_ruleset_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.handled_access_fs = LANDLOCK_ACCESS_FS_EXECUTE;
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (ruleset < 0) return -1;
    for (int i = 0; i < count; i++) {
        int fd = open(paths[i], O_PATH | O_CLOEXEC);
        if (fd < 0) { int e = errno; close(ruleset); errno = e; return -1; }
        struct landlock_path_beneath_attr rule;
        memset(&rule, 0, sizeof(rule));
        rule.allowed_access = LANDLOCK_ACCESS_FS_EXECUTE;
        rule.parent_fd = fd;
        long r = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
        int e = errno;
        close(fd);
        if (r != 0) { close(ruleset); errno = e; return -1; }
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) { int e = errno; close(ruleset); errno = e; return -1; }
    long r = syscall(SYS_landlock_restrict_self, ruleset, 0);
    int e = errno;
    close(ruleset);
    if (r != 0) { errno = e; return -1; }
    return (int)abi;
}

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif

/* An empty memfd for a sealed copy: non-executable, world-readable, close-on-exec. */
static int sealed_memfd(const char *name) {
    /* MFD_NOEXEC_SEAL (Linux 6.3): mode 0666 without execute bits (keepalived skips an executable
       configuration file and still exits 0). Older kernels: mode 0777, lowered with fchmod. */
    int fd = (int)syscall(SYS_memfd_create, name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL);
    if (fd < 0 && errno == EINVAL) {
        fd = (int)syscall(SYS_memfd_create, name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd >= 0 && fchmod(fd, 0444) != 0) { int e = errno; close(fd); errno = e; return -1; }
    }
    return fd;
}

/* Writes all of `bytes` to `fd`; 0, or -1 with errno. */
static int write_all(int fd, const char *bytes, size_t count) {
    for (size_t off = 0; off < count;) {
        ssize_t w = write(fd, bytes + off, count - off);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Seals `fd` against any change and rewinds it; returns `fd`, or closes it and returns -1 with errno. */
static int seal_and_rewind(int fd) {
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0 ||
        lseek(fd, 0, SEEK_SET) != 0) {
        int e = errno; close(fd); errno = e; return -1;
    }
    return fd;
}

int cshim_sealed_copy(int src_fd, const char *name, uint64_t limit) {
    struct stat st;
    if (fstat(src_fd, &st) != 0) return -1;
    if (!S_ISREG(st.st_mode)) { errno = EINVAL; return -1; }
    if ((uint64_t)st.st_size > limit) { errno = EFBIG; return -1; }
    int fd = sealed_memfd(name);
    if (fd < 0) return -1;
    char buffer[16384];
    uint64_t total = 0;
    for (;;) {
        ssize_t n = read(src_fd, buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { int e = errno; close(fd); errno = e; return -1; }
        if (n == 0) break;
        total += (uint64_t)n;
        if (total > limit) { close(fd); errno = EFBIG; return -1; }
        if (write_all(fd, buffer, (size_t)n) != 0) { int e = errno; close(fd); errno = e; return -1; }
    }
    return seal_and_rewind(fd);
}

int cshim_sealed_bytes(const void *bytes, uint64_t count, const char *name) {
    int fd = sealed_memfd(name);
    if (fd < 0) return -1;
    if (write_all(fd, (const char *)bytes, (size_t)count) != 0) { int e = errno; close(fd); errno = e; return -1; }
    return seal_and_rewind(fd);
}

int cshim_landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 1 ? 0 : (int)abi;
}

/* The ruleset attribute as of ABI 6 (the system header may be older); its size tells the kernel
   which fields it reads. */
struct cshim_landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

#define CSHIM_LL_FS_TRUNCATE (1ULL << 14)   /* ABI 3 */
#define CSHIM_LL_FS_IOCTL_DEV (1ULL << 15)  /* ABI 5 */
#define CSHIM_LL_NET_ALL 3ULL               /* ABI 4: BIND_TCP | CONNECT_TCP */
#define CSHIM_LL_SCOPE_ALL 3ULL             /* ABI 6: ABSTRACT_UNIX_SOCKET | SIGNAL */

static int landlock_add_path(int ruleset, const char *path, uint64_t access, uint64_t file_access) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    struct stat st;
    if (fstat(fd, &st) != 0) { int e = errno; close(fd); errno = e; return -1; }
    struct landlock_path_beneath_attr rule;
    memset(&rule, 0, sizeof(rule));
    rule.allowed_access = S_ISDIR(st.st_mode) ? access : (access & file_access);
    rule.parent_fd = fd;
    long r = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    int e = errno;
    close(fd);
    if (r != 0) { errno = e; return -1; }
    return 0;
}

int cshim_landlock_read_only_ruleset(const char *const *read_paths, int read_count,
                                     const char *const *exec_paths, int exec_count) {
    int abi = cshim_landlock_abi();
    if (abi < 1) return 0;
    struct cshim_landlock_ruleset_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.handled_access_fs = (1ULL << 13) - 1;   /* ABI 1: EXECUTE .. MAKE_SYM */
    size_t size = sizeof(uint64_t);
    if (abi >= 2) attr.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) attr.handled_access_fs |= CSHIM_LL_FS_TRUNCATE;
    if (abi >= 5) attr.handled_access_fs |= CSHIM_LL_FS_IOCTL_DEV;
    if (abi >= 4) { attr.handled_access_net = CSHIM_LL_NET_ALL; size = 2 * sizeof(uint64_t); }
    if (abi >= 6) { attr.scoped = CSHIM_LL_SCOPE_ALL; size = sizeof(attr); }
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0) return -1;
    const uint64_t file_rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE;
    const uint64_t read = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
    for (int i = 0; i < read_count; i++) {
        if (landlock_add_path(ruleset, read_paths[i], read, file_rights) != 0) { int e = errno; close(ruleset); errno = e; return -1; }
    }
    for (int i = 0; i < exec_count; i++) {
        if (landlock_add_path(ruleset, exec_paths[i], file_rights, file_rights) != 0) { int e = errno; close(ruleset); errno = e; return -1; }
    }
    return ruleset;
}

int cshim_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

int cshim_socket_in_netns(int netns_fd, int domain, int type, int protocol) {
    int own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (own < 0) return -1;
    if (setns(netns_fd, CLONE_NEWNET) != 0) {
        int saved = errno;
        close(own);
        errno = saved;
        return -1;
    }
    int fd = socket(domain, type, protocol);
    int saved = errno;
    if (setns(own, CLONE_NEWNET) != 0) abort();
    close(own);
    errno = saved;
    return fd;
}

/* dl_iterate_phdr visits the executable first (an empty name); its PT_NOTE segments hold the
   NT_GNU_BUILD_ID note the linker wrote. */
struct cshim_build_id_search {
    uint8_t *out;
    size_t capacity;
    size_t length;
};

static int cshim_build_id_visit(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct cshim_build_id_search *search = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *phdr = &info->dlpi_phdr[i];
        if (phdr->p_type != PT_NOTE) continue;
        const uint8_t *note = (const uint8_t *)(info->dlpi_addr + phdr->p_vaddr);
        const uint8_t *end = note + phdr->p_memsz;
        while (note + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *header = (const ElfW(Nhdr) *)note;
            size_t name_size = (header->n_namesz + 3) & ~(size_t)3;
            size_t desc_size = (header->n_descsz + 3) & ~(size_t)3;
            const uint8_t *name = note + sizeof(ElfW(Nhdr));
            const uint8_t *desc = name + name_size;
            if (desc + desc_size > end) break;
            if (header->n_type == NT_GNU_BUILD_ID && header->n_namesz == 4 && memcmp(name, "GNU", 4) == 0) {
                if (header->n_descsz > 0 && header->n_descsz <= search->capacity) {
                    memcpy(search->out, desc, header->n_descsz);
                    search->length = header->n_descsz;
                }
                return 1;
            }
            note = desc + desc_size;
        }
    }
    return 1; /* only the first object: the executable */
}

size_t cshim_executable_build_id(uint8_t *out, size_t capacity) {
    struct cshim_build_id_search search = {out, capacity, 0};
    dl_iterate_phdr(cshim_build_id_visit, &search);
    return search.length;
}

int cshim_malloc_trim(void) { return malloc_trim(0); }

/* MADV_DONTNEED of the read-only segments (code, constants) of the executable and of the loaded
 * libraries whose file name starts with one of `prefixes`: this process's page table entries for
 * them go, the pages stay in the page cache, and a later touch maps them again (a minor fault).
 * Safe because a segment without PF_W is never written, so it holds no private copy that
 * MADV_DONTNEED could discard (relocated data, RELRO included, is in the writable segment); the
 * pages at a segment's ends are left alone (they may be shared with a writable segment), and so is
 * an object with text relocations. Breakpoints and uprobes set in the code before are lost.
 * MADV_PAGEOUT would not do: the kernel ignores it for the file pages of a file the caller may
 * not write (the unprivileged front). Found with dl_iterate_phdr, so it needs no /proc (a
 * non-dumpable process cannot read its own /proc/self/maps). */
struct cshim_unmap_search {
    const char *const *prefixes;
    int count;
    size_t advised;
};

static int cshim_unmap_visit(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct cshim_unmap_search *search = data;
    const char *name = info->dlpi_name;
    int selected = name == NULL || name[0] == '\0';   /* the executable */
    if (!selected) {
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        for (int i = 0; i < search->count && !selected; i++)
            selected = strncmp(base, search->prefixes[i], strlen(search->prefixes[i])) == 0;
    }
    if (!selected) return 0;
    /* Text relocations write into read-only segments: such an object's code is not the file's. */
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type != PT_DYNAMIC) continue;
        for (const ElfW(Dyn) *entry = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
             entry->d_tag != DT_NULL; entry++) {
            if (entry->d_tag == DT_TEXTREL || (entry->d_tag == DT_FLAGS && (entry->d_un.d_val & DF_TEXTREL)))
                return 0;
        }
    }
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || (segment->p_flags & PF_W)) continue;
        /* Rounded inwards: a page the segment shares with a writable one is left alone; and only
         * what the file holds (past p_filesz the loader zeroed a private copy). */
        uintptr_t start = (info->dlpi_addr + segment->p_vaddr + page - 1) & ~(page - 1);
        uintptr_t end = (info->dlpi_addr + segment->p_vaddr + segment->p_filesz) & ~(page - 1);
        if (end > start && madvise((void *)start, end - start, MADV_DONTNEED) == 0)
            search->advised += end - start;
    }
    return 0;
}

size_t cshim_unmap_read_only_segments(const char *const *prefixes, int count) {
    struct cshim_unmap_search search = {prefixes, count, 0};
    dl_iterate_phdr(cshim_unmap_visit, &search);
    return search.advised;
}
