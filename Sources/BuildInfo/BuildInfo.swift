import CBuildInfo

/// The release of the agent's binaries: the version (kept here, and only here; scripts/build-deb.sh
/// reads it for the package) and the git commit the build script injected ("unknown" otherwise).
public enum BuildInfo {
    /// The release version (semantic versioning, 0.x while the wire and file formats may change).
    public static let version = "0.1.0"

    /// The git commit of the build, or "unknown" for a build that did not go through scripts/build-deb.sh.
    public static var commit: String { String(cString: amphora_build_commit()) }

    /// `<version> (commit <hash>)`, what every binary's `--version` prints after its name.
    public static var versionDescription: String { "\(version) (commit \(commit))" }
}
