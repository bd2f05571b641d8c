#pragma once
#include <stdint.h>
#include <sys/types.h>
#include <signal.h>

/* Layout-identical to glibc's struct ucred (hidden behind _GNU_SOURCE for Swift). */
typedef struct { int32_t pid; uint32_t uid; uint32_t gid; } cshim_ucred;

/* SO_PEERCRED of a connected Unix socket. Returns 0 or -1 with errno. */
int cshim_peercred(int fd, cshim_ucred *out);

/* How to start a child. The child reads these in the parent's memory and only makes syscalls. */
typedef struct {
    int exec_fd;               /* O_PATH fd of the binary: execveat(fd, "", AT_EMPTY_PATH); -1 uses path */
    const char *path;          /* used when exec_fd < 0 */
    char *const *argv;
    char *const *envp;
    int stdin_fd, stdout_fd, stderr_fd;  /* -1: /dev/null */
    const int *pass_fds;       /* pass_fds[i] becomes fd 3+i in the child */
    int pass_count;
    int new_process_group;     /* setpgid(0, 0): the child leads its own group (deadline kills the group) */
    int new_session;           /* setsid() (implies its own group) */
    int set_ids;               /* drop to uid/gid with no supplementary groups */
    uint32_t uid, gid;
    int no_new_privs;          /* PR_SET_NO_NEW_PRIVS before exec */
    int die_with_parent;       /* PR_SET_PDEATHSIG(SIGKILL) */
    uint64_t nofile_limit;     /* if non-zero: RLIMIT_NOFILE soft and hard */
    int use_netns;             /* setns(netns_fd, CLONE_NEWNET) before exec */
    int netns_fd;
    int use_landlock;          /* landlock_restrict_self(landlock_fd) last before exec (after set_ids and no_new_privs) */
    int landlock_fd;
    int default_time_slice;    /* the kernel's default time slice, not the parent's requested one (cshim_set_time_slice(0)) */
} cshim_spawn_attr;

/* vfork-style clone (CLONE_VM | CLONE_VFORK) + exec. Returns the pid, or -1 with *child_errno set (exec failure is reported, not a zombie). */
pid_t cshim_spawn(const cshim_spawn_attr *attr, int *child_errno);

/* Whether a spawn's child may run in this process's memory until exec (the default); 0 gives every
   child a copy, as fork does. For tests of both paths. */
void cshim_spawn_share_memory(int allowed);

/* A socket created inside the network namespace `netns_fd` (setns there and back on the calling
   thread only). Returns the socket, or -1 with errno; aborts if the thread cannot return to its
   own namespace (it must never go on in the wrong one). */
int cshim_socket_in_netns(int netns_fd, int domain, int type, int protocol);

/* fstatfs(fd).f_type, or -1 with errno. */
int64_t cshim_fs_magic(int fd);

/* The running executable's GNU build ID (the linker's hash of its contents), copied into out:
   its length, or 0 when it has none or it does not fit. */
size_t cshim_executable_build_id(uint8_t *out, size_t capacity);
/* MADV_DONTNEED of the read-only segments (never written: code, constants) of the executable and of
 * the loaded libraries whose file name starts with one of `prefixes`; returns the bytes advised. */
size_t cshim_unmap_read_only_segments(const char *const *prefixes, int count);

/* openat2 with RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS. */
int cshim_open_beneath(int dirfd, const char *path, int flags, uint32_t mode);

/* Starts writing a file's dirty pages back without waiting (sync_file_range SYNC_FILE_RANGE_WRITE):
   a later fsync then has only the metadata and the flush left. Returns 0 or -1 with errno. */
int cshim_start_writeback(int fd);

/* The calling thread's time slice under the fair scheduler (sched_attr.sched_runtime of
   SCHED_OTHER and SCHED_BATCH, EEVDF's custom slice, Linux 6.12 and later; the kernel clamps it to
   0.1-100 ms): `ns` requests that slice, 0 the kernel's default. Threads and children inherit it.
   The policy, nice value and reset-on-fork flag stay as they are. Returns 0 (also where the policy
   has no slice, and on kernels that ignore it) or -errno. Async-signal-safe: raw system calls. */
int cshim_set_time_slice(uint64_t ns);
/* The time slice thread `tid` (0: the caller) runs with, as sched_getattr reports it (the kernel's
   default where none was requested; 0 before Linux 6.12), or -errno. */
int64_t cshim_time_slice(pid_t tid);

/* prctl wrappers. */
int cshim_set_no_new_privs(void);
int cshim_drop_bounding_capability(int cap);
int cshim_cap_last(void);
int cshim_set_parent_death_signal(int sig);

int cshim_set_nofile(uint64_t limit);


/* Declarations glibc hides behind _GNU_SOURCE. */
extern const int cshim_O_PATH;
int cshim_pipe2_cloexec(int fds[2]);
int cshim_accept_cloexec(int fd);

/* Capabilities (confinement). Sets are bit masks indexed by capability number. */
int cshim_capget(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable);
int cshim_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable);
int cshim_capability_in_bounding_set(int cap);   /* 1, 0, or -1 with errno */
int cshim_clear_ambient_capabilities(void);

/* Duplicates fd onto exactly `slot` (close-on-exec) if that slot is free; -1 with errno otherwise
   (EBUSY when the slot is taken). */
int cshim_dup_to_free_slot(int fd, int slot);

/* glibc's malloc_trim(0): returns the free pages of every arena to the kernel; 1 if any were. */
int cshim_malloc_trim(void);

/* Seccomp self-test probes: the raw system calls, without glibc fallbacks. */
long cshim_probe_fork(void);                               /* clone(SIGCHLD): a new process */
long cshim_probe_execveat(int fd, const char *path, char *const *argv, char *const *envp, int flags);
long cshim_probe_close(uint64_t fd);                       /* close with a full 64-bit argument */
long cshim_probe_ptrace_traceme(void);
long cshim_probe_unshare_mount_namespace(void);            /* unshare(CLONE_NEWNS) */
long cshim_probe_mount_proc(void);                         /* mount("proc", "/proc", "proc") */

/* A signalfd for the given signals (which the caller has blocked). */
int cshim_signalfd(const sigset_t *mask);
/* The signal number in one struct signalfd_siginfo read from it, or -1. */
int cshim_read_signalfd(int fd);

/* Landlock: from now on this process and its children may execute only the given files (and
   nothing else; reading and writing are not restricted). Needs no_new_privs. Returns the Landlock
   ABI version used (>= 1), 0 when the kernel has no Landlock (nothing restricted), or -1 with errno. */
int cshim_landlock_restrict_execute(const char *const *paths, int count);

/* A sealed, non-executable, world-readable memory file (memfd) holding the contents of the regular
   file open at `src_fd` (at most `limit` bytes; EFBIG beyond), positioned at 0: a check that may not
   open the file itself reads it as /dev/fd/N. Returns the descriptor (close-on-exec) or -1 with errno. */
int cshim_sealed_copy(int src_fd, const char *name, uint64_t limit);

/* The same kind of sealed memory file, holding `count` bytes from `bytes`: a check's input the
   launcher prepared itself. Returns the descriptor (close-on-exec) or -1 with errno. */
int cshim_sealed_bytes(const void *bytes, uint64_t count, const char *name);

/* The Landlock ABI version of this kernel, or 0 without Landlock. */
int cshim_landlock_abi(void);

/* Landlock: a ruleset (to hand to cshim_spawn's landlock_fd) that handles every file-system right
   this kernel knows, and, where the ABI has them, TCP bind/connect and the signal and abstract Unix
   socket scopes; it grants only reading (files, and listing directories) beneath `read_paths` and
   reading and executing `exec_paths`: no write, make, remove, rename or truncate anywhere, no TCP.
   Paths that do not exist are skipped. Returns the ruleset descriptor, 0 when the kernel has no
   Landlock, or -1 with errno. */
int cshim_landlock_read_only_ruleset(const char *const *read_paths, int read_count,
                                     const char *const *exec_paths, int exec_count);


/* PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented to the caller, which reaps them. */
int cshim_set_child_subreaper(void);
