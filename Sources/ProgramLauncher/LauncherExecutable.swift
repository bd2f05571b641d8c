import Glibc
import LinuxSystem

/// Where the `amphora-launcher` executable is: beside the running one (a build directory, or any
/// layout that keeps the agent's executables together), else where the package installs it. Both
/// are writable by root only, as the helper's own executable is.
public enum LauncherExecutable {
    /// The package's place for it: a program of the agent's own, not one for people (build-deb.sh).
    public static let packagedPath = "/usr/lib/amphora-agent/amphora-launcher"

    /// The launcher beside `executable` when there is one there, else ``packagedPath``.
    public static func path(besides executable: String) -> String {
        guard let slash = executable.lastIndex(of: "/") else { return packagedPath }
        let sibling = String(executable[..<slash]) + "/amphora-launcher"
        return access(sibling, X_OK) == 0 ? sibling : packagedPath
    }

    /// The launcher for the running executable (`/proc/self/exe`).
    public static var forThisExecutable: String { path(besides: symbolicLinkTarget("/proc/self/exe") ?? "") }
}
