import Helper
import Testing

/// The agent's own `global` file for haproxy: the group, and the HTTP client's CA named only when
/// haproxy reads the path as one plain word (the launcher tests run a real check on it).
@Suite("haproxy user/group file")
struct HAProxyUserGroupFileTests {
    @Test("names the group and the HTTP client's CA")
    func namesGroupAndCA() {
        #expect(
            HAProxyUserGroupFile.text(httpclientCAFile: "/var/lib/octavia/haproxy-httpclient-ca.pem")
                == "global\n    group nogroup\n    httpclient.ssl.ca-file /var/lib/octavia/haproxy-httpclient-ca.pem\n")
    }

    @Test("a CA path haproxy would split, unquote, escape, cut or expand is left out; the group stays")
    func leavesOutPathsHAProxyWouldRead() {
        for path in [
            "/var/lib/oct avia/ca.pem", "/var/lib/\"octavia\"/ca.pem", "/var/lib/'o'/ca.pem", "/var/lib/o\\ctavia/ca.pem",
            "/var/lib/#octavia/ca.pem", "/var/lib/${HOME}/ca.pem", "/var/lib/\toctavia/ca.pem", "relative/ca.pem", "/var/lib/é/ca.pem",
        ] {
            #expect(!HAProxyUserGroupFile.isPlainWord(path), "\(path)")
            #expect(HAProxyUserGroupFile.text(httpclientCAFile: path) == "global\n    group nogroup\n", "\(path)")
        }
    }

    @Test("no CA the check could reach: the group only")
    func noCA() {
        #expect(HAProxyUserGroupFile.text(httpclientCAFile: nil) == "global\n    group nogroup\n")
    }
}
