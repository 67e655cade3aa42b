@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

@Suite("ShellQuoting: a pasted command runs nothing from the text")
struct ShellQuotingTests {
    static let printable = [
        "", "plain", "with space", "it's", "'", "''", "\"double\"", "$HOME", "${HOME}", "$(touch pwned)", "`touch pwned`",
        "a;b|c&d>e<f", "*", "?", "[ab]", "~", "~user", "!", "!!", "#comment", "a\\b", "\\", "\\'", "-n", "--", "%s",
        "ünïcödé ✅", "semi; rm -rf pwned", "a=b", "{a,b}", "end\\",
    ]

    static let controls = [
        "line\nbreak", "tab\there", "cr\rhere", "bell\u{7}", "escape \u{1B}[31mred\u{1B}[0m", "del\u{7F}",
        "nul-less \u{1}\u{2}", "quote ' and newline\n", "backslash \\ and tab\t", "$(touch pwned)\n`touch pwned`",
    ]

    /// Runs `printf '<%s>' QUOTED` and returns what it printed: exactly `<text>` when the
    /// quoted form is one word holding the text.
    func echo(_ quoted: String, shell: String, locale: String) throws -> (String, ProcessResult) {
        let sandbox = try TempTree("quote")
        let result = try runShell(
            "printf '<%s>' \(quoted)", shell: shell, environment: ["HOME": sandbox.path, "LC_ALL": locale], in: sandbox.path)
        #expect(sandbox.listing().isEmpty, "the command created \(sandbox.listing())")
        return (String(decoding: result.stdout, as: UTF8.self), result)
    }

    @Test("printable text round-trips through /bin/sh as one word", arguments: printable)
    func roundTripSh(_ text: String) throws {
        let quoted = ShellQuoting.quote(text)
        #expect(!quoted.hasPrefix("$'"), "printable text needs no $'…'")
        let (output, result) = try echo(quoted, shell: "/bin/sh", locale: "C.UTF-8")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(output == "<\(text)>")
    }

    @Test("printable text round-trips through bash as one word", arguments: printable)
    func roundTripBash(_ text: String) throws {
        let (output, _) = try echo(ShellQuoting.quote(text), shell: "/bin/bash", locale: "C.UTF-8")
        #expect(output == "<\(text)>")
    }

    @Test("control characters use $'…' and round-trip through bash", arguments: controls)
    func roundTripControls(_ text: String) throws {
        let quoted = ShellQuoting.quote(text)
        #expect(quoted.hasPrefix("$'") && quoted.hasSuffix("'"))
        #expect(!quoted.unicodeScalars.contains { ShellQuoting.isControl($0) }, "no raw control character in the command")
        for locale in ["C.UTF-8", "C"] {
            let (output, result) = try echo(quoted, shell: "/bin/bash", locale: locale)
            #expect(result.status == 0)
            #expect(output == "<\(text)>", "locale \(locale)")
        }
    }

    /// (text, locale). Non-ASCII controls must come back as the same UTF-8 bytes
    /// whatever the locale: a `\xHH` of the code point would be one raw byte, and a
    /// `\uHHHH` only expands in a UTF-8 locale.
    static let wideControls: [(String, String)] = [
        ("next line \u{85}", "C.UTF-8"), ("next line \u{85}", "C"),
        ("csi \u{9B}", "C.UTF-8"), ("csi \u{9B}", "C"),
        ("separator \u{2028}", "C.UTF-8"), ("separator \u{2028}", "C"),
        ("paragraph \u{2029}", "C.UTF-8"), ("paragraph \u{2029}", "C"),
    ]

    @Test("C1 controls and line separators round-trip through bash in any locale", arguments: wideControls)
    func roundTripWideControls(_ text: String, _ locale: String) throws {
        let quoted = ShellQuoting.quote(text)
        #expect(!quoted.unicodeScalars.contains { ShellQuoting.isControl($0) })
        let (output, _) = try echo(quoted, shell: "/bin/bash", locale: locale)
        #expect(output == "<\(text)>", "locale \(locale)")
    }

    @Test("plain names stay bare; everything else is quoted")
    func bareWords() {
        for plain in ["abc", "/srv/agent-bridge", "v1.2.3", "a_b-c+d,e:f@g%h", "/"] {
            #expect(ShellQuoting.quote(plain) == plain)
        }
        for needsQuotes in ["", "a b", "~", "*", "a=b", "ü"] {
            #expect(ShellQuoting.quote(needsQuotes) != needsQuotes)
        }
    }
}
