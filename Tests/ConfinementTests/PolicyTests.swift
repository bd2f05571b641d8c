import Confinement
import Foundation
import Testing

/// The policy data files, their compiled-in copies and the golden exports of the compiled filters.
@Suite("Confinement policies")
struct PolicyTests {
    static let policyDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policy")

    static func file(_ name: String) throws -> String {
        let data = try Data(contentsOf: policyDirectory.appendingPathComponent(name))
        return String(decoding: data, as: UTF8.self)
    }

    @Test("the embedded policies are the files in policy/, byte for byte")
    func embeddedEqualsFiles() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.policyDirectory.path)
            .filter { $0.hasSuffix(".policy") || $0.hasSuffix(".txt") }
        #expect(Set(names) == Set(EmbeddedPolicy.files.keys), "run policy/embed.sh")
        for name in names {
            let onDisk = Array(try Data(contentsOf: Self.policyDirectory.appendingPathComponent(name)))
            #expect(Array((EmbeddedPolicy.files[name] ?? "").utf8) == onDisk, "\(name) differs from its embedded copy: run policy/embed.sh")
        }
    }

    @Test("each compiled filter equals its golden export in policy/", arguments: ConfinedRole.allCases)
    func goldenExport(role: ConfinedRole) throws {
        let exported = try Confinement.filter(for: role).exportPFC()
        #expect(exported == (try Self.file(role.goldenFile)), "regenerate with amphora-helper seccomp-export \(role.rawValue)")
    }
}

/// The policy language refuses what it does not understand, naming the line.
@Suite("Confinement policy parsing")
struct PolicyParsingTests {
    @Test(
        "bad policies are refused with their line",
        arguments: [
            ("read\nread\n", "2: read appears twice"),
            ("read\nsocket threads-only\n", "2: threads-only applies only to clone"),
            ("clone3 errno EWHATEVER\n", "1: errno needs one of"),
            ("read\n\nwrite allow-please\n", "3: unknown rule \"allow-please\""),
            ("socket family AF_BLUETOOTH\n", "1: family needs names from"),
            ("re/ad\n", "1: bad system call name"),
            ("# only comments\n", "no rules"),
        ])
    func refused(text: String, message: String) {
        #expect(throws: ConfinementError.self) { try SeccompPolicy(parsing: text, name: "t.policy") }
        do {
            _ = try SeccompPolicy(parsing: text, name: "t.policy")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test("a name that is no system call on this architecture fails to compile")
    func unknownSyscall() throws {
        let policy = try SeccompPolicy(parsing: "read\nno_such_call\n", name: "t.policy")
        #expect(throws: ConfinementError.self) { try SeccompFilter(policy: policy) }
    }

    @Test("every kept capability needs a reason; the helper's list is the expected mask")
    func capabilities() throws {
        #expect(throws: ConfinementError.self) { try CapabilityPolicy(parsing: "CAP_CHOWN\n", name: "c.txt") }
        #expect(throws: ConfinementError.self) { try CapabilityPolicy(parsing: "CAP_NOPE because\n", name: "c.txt") }
        let helper = try Confinement.helperCapabilities()
        // CAP_CHOWN 0, CAP_NET_ADMIN 12, CAP_NET_RAW 13, CAP_SYS_ADMIN 21
        #expect(helper.mask == (1 << 0) | (1 << 12) | (1 << 13) | (1 << 21))
        #expect(helper.reasons.values.allSatisfy { !$0.isEmpty })
    }

    @Test("the launchers keep only what their children need: no CAP_CHOWN, CAP_SETUID/CAP_SETGID for the check account")
    func launcherCapabilities() throws {
        let launcher = try Confinement.launcherCapabilities()
        // CAP_KILL 5, CAP_SETGID 6, CAP_SETUID 7, CAP_NET_ADMIN 12, CAP_NET_RAW 13, CAP_SYS_ADMIN 21
        #expect(launcher.mask == (1 << 5) | (1 << 6) | (1 << 7) | (1 << 12) | (1 << 13) | (1 << 21))
        #expect(launcher.reasons.values.allSatisfy { !$0.isEmpty })
    }

    @Test("no launcher child may make or enter a mount namespace: mount, umount2, unshare are not in its policy; setns is")
    func launcherHasNoMountCalls() throws {
        let entries = try Confinement.policy(for: .launcher).entries
        for call in ["mount", "umount2", "unshare", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen", "fsmount"] {
            #expect(!entries.contains { $0.syscall == call && $0.rule != .kill }, "\(call)")
        }
        #expect(entries.contains { $0.syscall == "setns" })
    }

    @Test("the shipped policies keep the fixed rules: clone3 ENOSYS, no fork or exec for front and helper")
    func shippedRules() throws {
        for role in [ConfinedRole.front, .helper] {
            let entries = try Confinement.policy(for: role).entries
            #expect(entries.contains { $0.syscall == "clone3" && $0.rule == .errno(38) })
            #expect(entries.contains { $0.syscall == "clone" && $0.rule == .threadsOnly })
            #expect(!entries.contains { ["execve", "execveat", "fork", "vfork"].contains($0.syscall) && $0.rule != .kill })
        }
        let launcher = try Confinement.policy(for: .launcher).entries
        #expect(launcher.contains { $0.syscall == "execveat" && $0.rule == .programDescriptors })
        #expect(launcher.contains { $0.syscall == "execve" && $0.rule == .kill })
        #expect(!launcher.contains { $0.syscall == "ptrace" && $0.rule != .kill })
    }
}
