import CLinuxShim
import Glibc

/// How to start a child process: what to execute, its argv and environment, its descriptors and
/// the restrictions it gets before exec. ``spawn()`` starts the child with vfork semantics and
/// executes (CLinuxShim's `cshim_spawn`: the child runs in this process's memory until exec,
/// making system calls only, unless it changes its uid while fs.suid_dumpable is not 0); every field left at its default
/// changes nothing.
public struct SpawnAttributes {
    /// What the child executes.
    public enum Executable {
        /// An `O_PATH` descriptor, executed with `execveat(fd, "", AT_EMPTY_PATH)`.
        case descriptor(Int32)
        /// An absolute path.
        case path(String)
    }

    public var executable: Executable
    /// The whole argv, argv[0] included.
    public var arguments: [String]
    public var environment: [String]
    /// The child's stdin, stdout and stderr; -1 is /dev/null.
    public var standardInput: Int32 = -1
    public var standardOutput: Int32 = -1
    public var standardError: Int32 = -1
    /// Descriptors the child gets as 3, 4, …, in this order.
    public var passedDescriptors: [Int32] = []
    /// The child leads a process group of its own (so that a deadline can kill the group).
    public var newProcessGroup = false
    /// The child starts a session of its own (and so a group).
    public var newSession = false
    /// SIGKILL to the child when this process dies.
    public var dieWithParent = false
    /// PR_SET_NO_NEW_PRIVS before exec.
    public var noNewPrivileges = false
    /// The account the child changes to before exec, with no supplementary groups.
    public var identity: (uid: UInt32, gid: UInt32)?
    /// RLIMIT_NOFILE (soft and hard) of the child, when set.
    public var fileDescriptorLimit: UInt64?
    /// A network namespace descriptor the child enters (setns) before exec.
    public var networkNamespace: Int32?
    /// A Landlock ruleset the child restricts itself to, last before exec.
    public var landlockRuleset: Int32?
    /// The child runs with the kernel's default time slice, not the one this process requested
    /// (``TimeSlice``): for daemons. The child calls `sched_getattr` and `sched_setattr` under this
    /// process's seccomp filter: not for a confined process (the helper's and the launcher's filters
    /// kill both).
    public var defaultTimeSlice = false

    public init(executable: Executable, arguments: [String], environment: [String]) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }

    /// Forks and executes. Returns the child's pid; throws a ``SystemError`` whose errno says why
    /// starting the child, a step before exec or the exec failed (a failed exec leaves no zombie).
    public func spawn() throws(SystemError) -> pid_t {
        var childErrno: Int32 = 0
        let path: String? = if case .path(let path) = executable { path } else { nil }
        let pid: pid_t = withUnsafeCStringArray(arguments) { cArgv in
            withUnsafeCStringArray(environment) { cEnv in
                withUnsafeCStringArray(path.map { [$0] } ?? []) { cPath in
                    passedDescriptors.withUnsafeBufferPointer { pass in
                        var attr = cshim_spawn_attr()
                        if case .descriptor(let fd) = executable { attr.exec_fd = fd } else { attr.exec_fd = -1 }
                        attr.path = path == nil ? nil : UnsafePointer(cPath[0])
                        attr.argv = UnsafePointer(cArgv)
                        attr.envp = UnsafePointer(cEnv)
                        attr.stdin_fd = standardInput
                        attr.stdout_fd = standardOutput
                        attr.stderr_fd = standardError
                        attr.pass_fds = pass.baseAddress
                        attr.pass_count = Int32(pass.count)
                        attr.new_process_group = newProcessGroup ? 1 : 0
                        attr.new_session = newSession ? 1 : 0
                        attr.die_with_parent = dieWithParent ? 1 : 0
                        attr.no_new_privs = noNewPrivileges ? 1 : 0
                        if let identity {
                            attr.set_ids = 1
                            attr.uid = identity.uid
                            attr.gid = identity.gid
                        }
                        attr.nofile_limit = fileDescriptorLimit ?? 0
                        if let networkNamespace {
                            attr.use_netns = 1
                            attr.netns_fd = networkNamespace
                        }
                        if let landlockRuleset {
                            attr.use_landlock = 1
                            attr.landlock_fd = landlockRuleset
                        }
                        attr.default_time_slice = defaultTimeSlice ? 1 : 0
                        return cshim_spawn(&attr, &childErrno)
                    }
                }
            }
        }
        guard pid > 0 else { throw SystemError("spawn", errno: childErrno, subject: arguments.first) }
        return pid
    }
}
