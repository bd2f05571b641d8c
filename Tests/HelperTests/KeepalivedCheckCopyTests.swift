import Testing
@testable import ProgramLauncher

/// The text keepalived's check reads: every `net_namespace` line left empty, nothing else changed,
/// and a text where the keyword stands anywhere else refused.
@Suite("keepalived check's copy: net_namespace lines left out")
struct KeepalivedCheckCopyTests {
    static func copy(_ text: String) -> String? {
        KeepalivedCheckCopy.withoutNamespaceLines(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("the line is emptied wherever its indentation, the other lines and the line count stay")
    func emptiesTheLine() {
        #expect(Self.copy("net_namespace amphora-haproxy\nvirtual_server 192.0.2.1 80 {\n}\n") == "\nvirtual_server 192.0.2.1 80 {\n}\n")
        #expect(Self.copy("a\n \t net_namespace x # note\nb") == "a\n\nb")
        #expect(Self.copy("net_namespace\n") == "\n")
        #expect(Self.copy("net_namespace x\r\n") == "\n")
        #expect(Self.copy("virtual_server 192.0.2.1 80 {\n    lb_kind NAT\n}\n") == "virtual_server 192.0.2.1 80 {\n    lb_kind NAT\n}\n")
        #expect(Self.copy("") == "")
    }

    @Test("the keyword anywhere but as a line's first word, or glued to more: refused")
    func refusesTheKeywordElsewhere() {
        for text in [
            "virtual_server_group net_namespace {\n", "net_namespace_ipvs x\n", "net_namespace#x\n", "global_defs { net_namespace x }\n",
            "x\"net_namespace\" y\n", "\"net_namespace\" x\n", "a net_namespace\n",
        ] {
            #expect(Self.copy(text) == nil, "\(text)")
        }
        // Case matters to keepalived, as here.
        #expect(Self.copy("NET_NAMESPACE x\n") == "NET_NAMESPACE x\n")
    }
}
