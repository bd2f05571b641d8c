import LinuxSystem

/// Where the `amphora-launcher` executable is. The package's helper (`/usr/sbin/amphora-helper`)
/// takes the package's launcher; any other helper (a build directory, a layout that keeps the
/// agent's executables together) the one beside it, so that the two always come from one build.
/// ``LauncherPool`` refuses the file unless it, and the directory holding it, are root's alone.
public enum LauncherExecutable {
    /// The package's place for it: a program of the agent's own, not one for people (build-deb.sh).
    public static let packagedPath = "/usr/lib/amphora-agent/amphora-launcher"
    /// Where the package installs the helper.
    public static let packagedHelper = "/usr/sbin/amphora-helper"

    /// The launcher that goes with the helper executable at `helper` (an absolute path).
    public static func path(forHelper helper: String) -> String {
        guard helper != packagedHelper, let slash = helper.lastIndex(of: "/") else { return packagedPath }
        return String(helper[..<slash]) + "/amphora-launcher"
    }

    /// The launcher for the running executable (`/proc/self/exe`).
    public static var forThisExecutable: String { path(forHelper: symbolicLinkTarget("/proc/self/exe") ?? packagedHelper) }
}
