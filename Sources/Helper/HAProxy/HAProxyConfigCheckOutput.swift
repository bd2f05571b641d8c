import ProgramLauncher
/// What the helper passes on of a failed `haproxy -c`: only haproxy's own `[ALERT]` and
/// `[WARNING]` lines, printable ASCII, capped in count and bytes. haproxy's raw output is never
/// returned: it can quote lines of files other than the candidate configuration. As defence in
/// depth, a line that names a file outside `directories` (the load balancer's own directories,
/// where the candidate configuration lives) is dropped: haproxy quotes a line of the file it was
/// pointed at ("... at line 1 of file '/etc/shadow'").
public enum HAProxyConfigCheckOutput {
    /// At most this many lines are passed on.
    public static let maximumLines = 20
    /// At most this many bytes per line.
    public static let maximumLineBytes = 300
    /// At most this many bytes in all.
    public static let maximumBytes = 4096

    /// The error lines of `result`'s output, or a fixed sentence when there are none.
    public static func summary(_ result: LaunchResult, directories: [String]) -> String {
        if let refusal = result.refusal { return refusal }
        if result.timedOut { return "haproxy -c timed out" }
        let lines = errorLines(result.stdout + "\n" + result.stderr, directories: directories)
        return lines.isEmpty ? "haproxy -c refused the configuration (exit status \(result.exitCode.map(String.init) ?? "none"))" : lines
    }

    /// haproxy's `[ALERT]`/`[WARNING]` lines of `output`, sanitised and capped. A line may also name
    /// one of `programs` (haproxy tags its own messages `[<argv[0]>.main()]`, and a daemon's argv[0]
    /// is the configured path: "[/usr/sbin/haproxy.main()] Cannot raise FD limit ...").
    public static func errorLines(_ output: String, directories: [String], programs: [String] = []) -> String {
        var kept: [String] = []
        var bytes = 0
        for raw in output.utf8.split(separator: UInt8(ascii: "\n")) {
            let line = String(printableASCII: raw, limit: maximumLineBytes)
            guard line.hasPrefix("[ALERT]") || line.hasPrefix("[WARNING]"), namesOnlyOwnFiles(line, directories: directories, programs: programs)
            else { continue }
            guard kept.count < maximumLines, bytes + line.utf8.count + 1 <= maximumBytes else { break }
            kept.append(line)
            bytes += line.utf8.count + 1
        }
        return kept.joined(separator: "\n")
    }

    /// Characters haproxy's messages may use in a path.
    static let pathCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/+~@%,=".utf8)
    /// Characters after which a `/` starts a path in haproxy's messages.
    static let pathOpeners = Set(" '\"<[(:=,".utf8)

    /// False when `line` quotes a file name (`file '...'`) or names an absolute path that is not
    /// inside one of `directories`, nor one of `programs` (or its `<program>.main` message tag).
    static func namesOnlyOwnFiles(_ line: String, directories: [String], programs: [String] = []) -> Bool {
        let bytes = Array(line.utf8)
        let prefixes = directories.filter { $0.hasPrefix("/") }.map { Array(($0.hasSuffix("/") ? $0 : $0 + "/").utf8) }
        let programNames = Set(programs.filter { $0.hasPrefix("/") }.flatMap { [Array($0.utf8), Array(($0 + ".main").utf8)] })
        func own(_ path: ArraySlice<UInt8>) -> Bool {
            guard !String(decoding: path, as: UTF8.self).contains("..") else { return false }
            return prefixes.contains { path.starts(with: $0) && path.count > $0.count } || programNames.contains(Array(path))
        }
        var i = 0
        while i < bytes.count {
            // `file 'NAME'`: whatever NAME is (relative names resolve against haproxy's working directory).
            if bytes[i...].starts(with: Array("file '".utf8)) {
                let start = i + 6
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "'")) ?? bytes.count
                guard own(bytes[start..<end]) else { return false }
                i = end
                continue
            }
            if bytes[i] == UInt8(ascii: "/"), i == 0 || pathOpeners.contains(bytes[i - 1]) {
                var end = i
                while end < bytes.count, pathCharacters.contains(bytes[end]) { end += 1 }
                guard own(bytes[i..<end]) else { return false }
                i = end
                continue
            }
            i += 1
        }
        return true
    }
}
