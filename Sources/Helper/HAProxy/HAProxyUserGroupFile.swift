import ProgramLauncher

/// The agent's own `global` section, passed to every haproxy run after the load balancer's
/// configuration (`-f haproxy.cfg -f haproxy-default-user-group.conf`, as upstream does): the group
/// haproxy drops to, and the trust store of haproxy's built-in HTTP client.
///
/// That client serves Lua and the admin-level `httpclient` command only; no Octavia configuration
/// reaches it (the allow-list has no `lua-load`, and the agent forces the stats socket to `level
/// user`). Left alone, haproxy 2.6 still loads the system's whole CA store (`@system-ca`, about 140
/// certificates) into it at every start, reload and `haproxy -c`: about 13 ms of CPU each time, two
/// thirds of a check. Naming the controller's CA (`agent_server_ca`, copied by the helper at start
/// into the state directory, see ``ProgramPaths/httpclientCAFile``) skips that load and narrows
/// what the client would trust.
public enum HAProxyUserGroupFile {
    /// The file's text. `httpclientCAFile` is named only when there is one and haproxy reads it as
    /// one plain word (letters, digits, `/._-+`); otherwise the line is left out and haproxy keeps
    /// its default.
    public static func text(httpclientCAFile: String?) -> String {
        var text = "global\n    group nogroup\n"
        if let httpclientCAFile, isPlainWord(httpclientCAFile) {
            text += "    httpclient.ssl.ca-file \(httpclientCAFile)\n"
        }
        return text
    }

    /// Whether haproxy's tokenizer reads `path` as itself: an absolute path of plain characters only
    /// (no blank, quote, backslash, `#` or `$`, which it would split, unquote, escape, cut or expand).
    public static func isPlainWord(_ path: String) -> Bool {
        path.hasPrefix("/") && path.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"):
                return true
            default:
                return false
            }
        }
    }
}
