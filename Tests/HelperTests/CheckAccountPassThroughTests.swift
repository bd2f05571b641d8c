import Foundation
import Glibc
import LinuxSystem
import ProgramLauncher
import Testing

/// Whether the check account can walk down to a path, as the kernel decides it for a process with
/// that account's uid and group only: the owner's bits for its owner, the group's for its group,
/// the others' for everyone else (no falling through from one class to the next). Each case is
/// checked against the kernel too (`stat` run as the check account).
@Suite("check account: passing through the directories above a path", .serialized, .enabled(if: getuid() == 0))
struct CheckAccountPassThroughTests {
    /// `<root>/middle/base` with `middle` given each owner, group and mode in turn.
    func reachable(middleMode: mode_t, owner: UInt32 = 0, group: UInt32 = 0) throws -> Bool {
        let account = try #require(try? CheckAccount.resolve(), "run scripts/install-deps.sh: it creates \(CheckAccount.name)")
        let root = "/tmp/amp-pass-\(UUID().uuidString.prefix(8).lowercased())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(mkdir(root, 0o755) == 0 && chmod(root, 0o755) == 0)
        #expect(mkdir(root + "/middle", 0o700) == 0 && mkdir(root + "/middle/base", 0o700) == 0)
        #expect(chown(root + "/middle", owner == 0 ? 0 : account.uid, group == 0 ? 0 : account.gid) == 0)
        #expect(chmod(root + "/middle", middleMode) == 0)
        let answer = CheckAccount.canPassThrough(parentsOf: root + "/middle/base", account: account)
        // The kernel's own answer: stat(2) needs search permission on every directory above.
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        probe.arguments = ["--reuid=\(account.uid)", "--regid=\(account.gid)", "--clear-groups", "/usr/bin/stat", root + "/middle/base"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        #expect((probe.terminationStatus == 0) == answer, "mode \(String(middleMode, radix: 8)): the kernel says \(probe.terminationStatus)")
        return answer
    }

    @Test("root-only 0700 above it: closed; 0711: open")
    func othersBits() throws {
        #expect(try !reachable(middleMode: 0o700))
        #expect(try reachable(middleMode: 0o711))
    }

    @Test("a directory of the check group: its group bits decide, not the others' bits")
    func groupBits() throws {
        #expect(try reachable(middleMode: 0o710, group: 1))
        #expect(try !reachable(middleMode: 0o701, group: 1))
    }

    @Test("a directory the check account owns: its owner bits decide")
    func ownerBits() throws {
        #expect(try reachable(middleMode: 0o100, owner: 1))
        #expect(try !reachable(middleMode: 0o011, owner: 1))
    }

    @Test("a symlink on the way: the directories above its target count too")
    func symlinkedParent() throws {
        let account = try #require(try? CheckAccount.resolve())
        let root = "/tmp/amp-pass-\(UUID().uuidString.prefix(8).lowercased())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        // <root>/open/link -> <root>/closed/target, with <root>/closed 0700 root.
        for (directory, mode) in [(root, 0o755), (root + "/open", 0o755), (root + "/closed", 0o700), (root + "/closed/target", 0o755)] {
            #expect(mkdir(directory, 0o700) == 0 && chmod(directory, mode_t(mode)) == 0)
        }
        #expect(mkdir(root + "/closed/target/base", 0o700) == 0)
        #expect(symlink(root + "/closed/target", root + "/open/link") == 0)
        #expect(!CheckAccount.canPassThrough(parentsOf: root + "/open/link/base", account: account))
        #expect(chmod(root + "/closed", 0o711) == 0)
        #expect(CheckAccount.canPassThrough(parentsOf: root + "/open/link/base", account: account))
    }

    @Test("a missing directory above it is closed")
    func missingParent() throws {
        let account = try #require(try? CheckAccount.resolve())
        #expect(!CheckAccount.canPassThrough(parentsOf: "/nonexistent-\(UUID().uuidString)/base", account: account))
        #expect(CheckAccount.canPassThrough(parentsOf: "/var", account: account))
    }
}
