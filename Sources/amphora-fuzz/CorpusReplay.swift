#if !FUZZING
import Glibc
import LinuxSystem

/// Without libFuzzer (a normal build): runs every file of a corpus through a target, so the seeds
/// and every finding's reproducer are checked by the ordinary test suite.
/// Usage: `amphora-fuzz TARGET FILE-OR-DIRECTORY...`
@main
struct CorpusReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
            FileDescriptorOutput.standardError.write("usage: amphora-fuzz TARGET FILE-OR-DIRECTORY...  (targets: \(names))\n")
            exit(2)
        }
        var count = 0
        var accepted = 0
        for path in arguments.dropFirst() {
            for file in files(at: path) {
                guard let bytes = try? readFile(file, limit: 1 << 24) else {
                    FileDescriptorOutput.standardError.write("amphora-fuzz: cannot read \(file)\n")
                    exit(1)
                }
                if target.run(bytes) { accepted += 1 }
                count += 1
            }
        }
        FileDescriptorOutput.standardOutput.write("amphora-fuzz: \(target.rawValue): \(count) inputs (\(accepted) accepted), no finding\n")
    }

    /// The regular files at `path`: itself, or the entries of a directory (not recursive).
    static func files(at path: String) -> [String] {
        guard let directory = opendir(path) else { return [path] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = DirectoryEntryName.of(entry)
            if name != "." && name != ".." { names.append(path + "/" + name) }
        }
        return names.sorted()
    }
}
#endif
