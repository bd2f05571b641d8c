import BuildInfo
import Glibc
import LinuxSystem

/// The command line of a tool with a few `--name VALUE` options, `--version` and `--help`, read
/// without swift-argument-parser, which loads FoundationEssentials and a few hundred KiB of its own
/// code and metadata into every process that uses it (the supervisor and the front).
public struct ToolCommandLine: Sendable {
    /// An option that takes a value: `--name VALUE` or `--name=VALUE`.
    public struct Option: Sendable {
        public let name: String
        public let valueName: String
        public let help: String
        public let defaultValue: String

        public init(_ name: String, valueName: String, help: String, default defaultValue: String) {
            (self.name, self.valueName, self.help, self.defaultValue) = (name, valueName, help, defaultValue)
        }
    }

    /// What a command line asks for.
    public enum Outcome: Equatable, Sendable {
        /// Run with these values, by option name (every option has one: given, or its default; an
        /// empty default marks an option the tool requires, and checks itself).
        case run([String: String])
        case version
        case help
        /// A one-line reason (the usage follows it on stderr).
        case refused(String)
    }

    public let tool: String
    public let abstract: String
    public let options: [Option]

    public init(tool: String, abstract: String, options: [Option]) {
        (self.tool, self.abstract, self.options) = (tool, abstract, options)
    }

    /// The help text: usage line, abstract, options.
    public var usage: String {
        let synopsis = options.map { "[--\($0.name) \($0.valueName)]" }.joined(separator: " ")
        let rows = options.map { ("--\($0.name) \($0.valueName)", "\($0.help) (\($0.defaultValue.isEmpty ? "required" : "default \($0.defaultValue)"))") }
            + [("--version", "print the version"), ("-h, --help", "print this help")]
        let width = rows.map(\.0.count).max() ?? 0
        let lines = rows.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count + 3) + $0.1 }
        return "usage: \(tool) \(synopsis)\n\n\(abstract)\n\noptions:\n" + lines.joined(separator: "\n") + "\n"
    }

    /// Reads `arguments` (without the program name).
    public func parse<Arguments: Collection<String>>(_ arguments: Arguments) -> Outcome {
        var values = Dictionary(uniqueKeysWithValues: options.map { ($0.name, $0.defaultValue) })
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--version": return .version
            case "-h", "--help": return .help
            default: break
            }
            guard argument.hasPrefix("--"), let option = options.first(where: { argument == "--\($0.name)" || argument.hasPrefix("--\($0.name)=") })
            else { return .refused("unknown argument '\(argument)'") }
            let value: String
            if argument == "--\(option.name)" {
                guard let next = remaining.popFirst() else { return .refused("--\(option.name) needs a \(option.valueName)") }
                value = next
            } else {
                value = String(argument.dropFirst(option.name.count + 3))
            }
            guard !value.isEmpty else { return .refused("--\(option.name) needs a \(option.valueName)") }
            values[option.name] = value
        }
        if let missing = options.first(where: { values[$0.name]?.isEmpty ?? true }) { return .refused("--\(missing.name) is required") }
        return .run(values)
    }

    /// Reads `arguments` (default: the process's own, without the program name); prints the version
    /// or the help and exits 0, or prints the reason and the usage on stderr and exits 2; else
    /// returns the values.
    public func parseOrExit(_ arguments: some Collection<String> = CommandLine.arguments.dropFirst()) -> [String: String] {
        switch parse(arguments) {
        case .run(let values):
            return values
        case .version:
            FileDescriptorOutput.standardOutput.write("\(tool) \(BuildInfo.versionDescription)\n")
            exit(0)
        case .help:
            FileDescriptorOutput.standardOutput.write(usage)
            exit(0)
        case .refused(let reason):
            refuse(reason)
        }
    }

    /// Prints `reason` and the usage on stderr and exits 2 (also for a value the tool itself refuses).
    public func refuse(_ reason: String) -> Never {
        FileDescriptorOutput.standardError.write("\(tool): \(reason)\n\(usage)")
        exit(2)
    }
}
