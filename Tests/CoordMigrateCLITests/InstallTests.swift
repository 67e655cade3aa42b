import CoordMigrateTestSupport
import Foundation
import Testing

/// `scripts/install.sh` and the man page it installs, checked as a new user would use them.
@Suite("Installing")
struct InstallTests {
    @Test("install.sh puts the binary, its man page and three shells' completions under PREFIX, and the binary runs")
    func install() throws {
        let prefix = try Scratch("prefix")
        let binary = try CLI.requireBinary()
        let result = try runShell(
            "scripts/install.sh \"$1\"", shell: "/bin/bash", arguments: [prefix.path],
            environment: ["COORD_MIGRATE_BINARY": binary.path, "HOME": prefix.path], in: packageRoot.path)
        #expect(result.status == 0, "\(result.stderr)")
        for file in [
            "bin/coord-migrate", "share/man/man1/coord-migrate.1", "share/bash-completion/completions/coord-migrate",
            "share/zsh/site-functions/_coord-migrate", "share/fish/vendor_completions.d/coord-migrate.fish",
        ] {
            let size = (try? FileManager.default.attributesOfItem(atPath: prefix.url.appendingPathComponent(file).path)[.size] as? Int) ?? 0
            #expect(size > 0, "\(file) is missing or empty")
        }
        let installed = prefix.url.appendingPathComponent("bin/coord-migrate")
        let version = try runProcess(installed, ["--version"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(version.status == 0 && !version.stdoutText.isEmpty)
        let syntax = try runShell("bash -n \"$1\"", arguments: [prefix.url.appendingPathComponent("share/bash-completion/completions/coord-migrate").path])
        #expect(syntax.status == 0, "\(syntax.stderr)")
        let bad = try runShell(
            "scripts/install.sh \"$1\"", shell: "/bin/bash", arguments: [prefix.path],
            environment: ["COORD_MIGRATE_BINARY": "/nonexistent/coord-migrate"], in: packageRoot.path)
        #expect(bad.status == 2 && bad.stderr.contains("no executable"))
    }

    @Test("the man page is current: every option analyze, render, diff, map and templates print in --help is in docs/coord-migrate.1")
    func manPageCurrent() throws {
        let page = try String(contentsOf: packageRoot.appendingPathComponent("docs/coord-migrate.1"), encoding: .utf8)
        #expect(page.contains(".Sh NAME") && page.contains(".Nm coord-migrate"))
        // `.It Fl -path Ar DIR`, or `.It Fl f , -format Ar FORMAT...` for one with a short name too.
        let documented = Set(page.split(separator: "\n").filter { $0.hasPrefix(".It Fl ") }.flatMap { line in
            line.split(separator: " ").filter { $0.hasPrefix("-") && $0.count > 1 }.map { "-" + $0 }
        })
        for command in ["analyze", "render", "diff", "map", "templates"] {
            let help = try CLI.run([command, "--help"])
            let text = String(decoding: help.stdout, as: UTF8.self)
            let options = Set(text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") })
                .filter { $0.hasPrefix("--") && $0.count > 3 && $0 != "--help" }.map(String.init))
            #expect(!options.isEmpty, "\(command) --help lists options")
            for option in options.sorted() {
                #expect(documented.contains(option),
                        "\(command) \(option) is not in docs/coord-migrate.1: regenerate it with swift package generate-manual")
            }
        }
    }
}
