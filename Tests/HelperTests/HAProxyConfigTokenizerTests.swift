import IPCProtocol
import Testing

@testable import Helper

/// The haproxy tokenizer against haproxy 2.6's parse_line() rules, one case each.
@Suite("haproxy configuration tokenizer")
struct HAProxyConfigTokenizerTests {
    func words(_ line: String) throws -> [String] {
        try HAProxyConfigTokenizer.words(Array(line.utf8), line: 1).map(\.value)
    }

    func refused(_ line: String) -> Bool {
        (try? HAProxyConfigTokenizer.words(Array(line.utf8), line: 1)) == nil
    }

    @Test("blanks separate words; leading blanks and tabs are skipped")
    func blanks() throws {
        #expect(try words("  \tbind\t 10.0.0.2:80  ssl ") == ["bind", "10.0.0.2:80", "ssl"])
    }

    @Test("# starts a comment outside quotes, also in the middle of a word")
    func comments() throws {
        #expect(try words("# only a comment").isEmpty)
        #expect(try words("acl a path /x#y z") == ["acl", "a", "path", "/x"])
        #expect(try words("x \"a#b\" 'c#d' e\\#f") == ["x", "a#b", "c#d", "e#f"])
    }

    @Test("double quotes group words and are removed; adjacent parts concatenate")
    func doubleQuotes() throws {
        #expect(try words("x \"a b\"c'd e'") == ["x", "a bcd e"])
        let parsed = try HAProxyConfigTokenizer.words(Array("x \"a\" b".utf8), line: 1)
        #expect(parsed.map(\.plain) == [true, false, true])
    }

    @Test("single quotes keep backslashes and dollars")
    func singleQuotes() throws {
        #expect(try words("x 'a\\ b$HOME'") == ["x", "a\\ b$HOME"])
    }

    @Test("backslash escapes: space, backslash, #, quotes; others stay")
    func escapes() throws {
        #expect(try words("x a\\ b c\\\\d \\\"e\\' f\\1") == ["x", "a b", "c\\d", "\"e'", "f\\1"])
        #expect(try words("x \"\\$x\"") == ["x", "$x"])
        #expect(try words("x \\$x") == ["x", "\\$x"])
    }

    @Test("$ outside double quotes is a plain character; inside it is an expansion and refused")
    func expansions() {
        #expect((try? words("acl a path -m reg ^/api$")) == ["acl", "a", "path", "-m", "reg", "^/api$"])
        #expect(refused("x \"$HOME\""))
        #expect(refused("x \"${HOME}\""))
        #expect(refused("x \"a${HOME-b}\""))
    }

    @Test("escapes that make control or arbitrary bytes are refused")
    func byteEscapes() {
        for line in ["x a\\x41", "x a\\tb", "x a\\nb", "x a\\rb"] { #expect(refused(line), "\(line)") }
    }

    @Test("control characters, non-ASCII bytes and unterminated quotes are refused")
    func badBytes() {
        for line in ["x a\u{0B}b", "x a\u{0C}b", "x a\rb", "x \u{00E9}", "x \"open", "x 'open"] { #expect(refused(line), "\(line)") }
    }

    @Test("a quoted, escaped or concatenated keyword is refused")
    func keywordPosition() {
        for line in ["\"lua-load\" /x.lua", "lua\"-load\" /x.lua", "lua\\-load /x.lua", "'program' x", "\\program x", "lua-'load' x"] {
            #expect(refused(line), "\(line)")
        }
    }

    @Test(". directives and empty words are refused")
    func directivesAndEmptyWords() {
        for line in [".if defined(X)", ".endif", ".diag x", ".notice x", ".warning x", ".alert x", "x \"\" y"] {
            #expect(refused(line), "\(line)")
        }
    }

    @Test("a word that turns quoted or escaped part-way keeps what came before; the plain flag follows")
    func quotingPartWay() throws {
        let parsed = try HAProxyConfigTokenizer.words(Array("x ab\"c d\"e fg'h'i jk\\ l mn\\qo pq".utf8), line: 1)
        #expect(parsed.map(\.value) == ["x", "abc de", "fghi", "jk l", "mn\\qo", "pq"])
        #expect(parsed.map(\.plain) == [true, false, false, false, false, true])
    }

    @Test("lines split at every newline, empty ones too, numbered from 1; a last line without a newline counts")
    func lineNumbers() throws {
        let lines = try HAProxyConfigTokenizer.lines("global\n\n  # note\n    daemon\nx y")
        #expect(lines.map(\.number) == [1, 4, 5])
        #expect(lines.map(\.values) == [["global"], ["daemon"], ["x", "y"]])
        #expect(try HAProxyConfigTokenizer.lines("").isEmpty)
        #expect(throws: HAProxyError.self) { try HAProxyConfigTokenizer.lines("global\n    a \"b\n    c\"") }
    }

    @Test("more than 64 words are refused")
    func tooManyWords() {
        #expect(refused("x" + String(repeating: " a", count: 64)))
        #expect(!refused("x" + String(repeating: " a", count: 63)))
    }
}
