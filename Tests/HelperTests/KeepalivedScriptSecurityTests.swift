import Foundation
import Glibc
import Testing
@testable import Helper

/// The helper checks the VRRP script's path as keepalived (root, script security) would, because the
/// configuration check, unprivileged, cannot.
@Suite("keepalived script security: the path keepalived would run", .enabled(if: getuid() == 0))
struct KeepalivedScriptSecurityTests {
    @Test("root's file under root's directories runs; a writable, foreign, symlinked, missing or non-executable step does not")
    func pathSafety() throws {
        let root = "/tmp/amp-vrrp-\(UUID().uuidString.prefix(8).lowercased())"
        #expect(mkdir(root, 0o755) == 0)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = root + "/vrrp"
        #expect(mkdir(directory, 0o700) == 0)
        let script = directory + "/check_script.sh"
        #expect(FileManager.default.createFile(atPath: script, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o700]))
        #expect(KeepalivedScriptSecurity.problem(atPath: script) == nil)

        chmod(script, 0o600)
        #expect(KeepalivedScriptSecurity.problem(atPath: script) == "\(script) is not executable")
        chmod(script, 0o702)
        #expect(KeepalivedScriptSecurity.problem(atPath: script) == "\(script) is writable by others than root")
        chmod(script, 0o700)
        chmod(directory, 0o777)
        #expect(KeepalivedScriptSecurity.problem(atPath: script) == "\(directory) is writable by others than root")
        chmod(directory, 0o1777)  // sticky: keepalived lets it pass, as /tmp
        #expect(KeepalivedScriptSecurity.problem(atPath: script) == nil)
        chmod(directory, 0o700)
        chown(script, 65534, 0)
        #expect(KeepalivedScriptSecurity.problem(atPath: script) == "\(script) is not root's")
        chown(script, 0, 0)
        #expect(KeepalivedScriptSecurity.problem(atPath: root + "/vrrp/absent.sh") == "\(root)/vrrp/absent.sh: No such file or directory")
        #expect(symlink(script, root + "/link.sh") == 0)
        #expect(KeepalivedScriptSecurity.problem(atPath: root + "/link.sh") == "\(root)/link.sh is not a regular file")
        #expect(KeepalivedScriptSecurity.problem(atPath: "vrrp/check_script.sh") == "vrrp/check_script.sh is not an absolute path")
    }
}
