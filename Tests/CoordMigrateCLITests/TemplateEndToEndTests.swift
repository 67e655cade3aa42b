import CoordMigrateEmit
import CoordMigrateTestSupport
import Foundation
import Testing

/// Users' templates from the command line: mistakes in one line, the variables they can use.
@Suite("Templates from the command line")
struct TemplateEndToEndTests {
    @Test("the command line prints the file's name, line and column in one line, exit 2")
    func commandLine() throws {
        let scratch = try Scratch("template-syntax")
        let template = try scratch.file("plan.tmpl", "# Plan\n\n{{#steps}}\n    {{title}}\n")
        let html = try scratch.file("page.tmpl", "<p>\n  {{/steps}}\n")
        let run = try CLI.run([sampleURL("agent-bridge").path, "--quiet", "--template", template, "-o", scratch.absolute("out.md")])
        #expect(run.status == 2)
        #expect(run.stderrLines.map(String.init) == ["coord-migrate: error: \(template):3:1: unclosed section \"steps\": no {{/steps}} closes it (the md template)"])
        let page = try CLI.run([sampleURL("agent-bridge").path, "--quiet", "--html-template", html, "-o", scratch.absolute("out.html")])
        #expect(page.status == 2)
        #expect(page.stderrLines.map(String.init) == ["coord-migrate: error: \(html):2:3: stray closing tag {{/steps}}: no section is open (the html template)"])
        #expect(!FileManager.default.fileExists(atPath: scratch.absolute("out.md")))
    }

    @Test("templates prints the variable reference, the same page as docs/template-variables.md")
    func variableReference() throws {
        let published = try String(contentsOf: packageRoot.appendingPathComponent("docs/template-variables.md"), encoding: .utf8)
        for arguments in [["templates"], ["templates", "--variables"]] {
            let run = try CLI.run(arguments)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(String(decoding: run.stdout, as: UTF8.self) == published)
        }
    }

    @Test("templates --show prints a built-in template to start from; another format is refused in one line")
    func showBuiltIn() throws {
        let md = try CLI.run(["templates", "--show", "md"])
        #expect(md.status == 0)
        #expect(String(decoding: md.stdout, as: UTF8.self) == MarkdownEmitter.defaultTemplate)
        let html = try CLI.run(["templates", "--show", "HTML"])
        #expect(String(decoding: html.stdout, as: UTF8.self) == HTMLEmitter.defaultTemplate)
        let json = try CLI.run(["templates", "--show", "htm"])
        #expect(json.status == 2)
        #expect(json.stderrLines.count == 1 && json.stderr.contains("did you mean 'html'?"), "\(json.stderr)")
        let both = try CLI.run(["templates", "--variables", "--show", "md"])
        #expect(both.status == 2 && both.stderrLines.count == 1)
    }

    @Test("a copy of a built-in template printed by templates --show renders the same report as the built-in one")
    func shownTemplateRenders() throws {
        let scratch = try Scratch("shown")
        let shown = try CLI.run(["templates", "--show", "md"])
        let template = scratch.absolute("mine.md.mustache")
        try shown.stdout.write(to: URL(fileURLWithPath: template))
        let arguments = [sampleURL("agent-bridge").path, "--quiet", "--now", fixedNowText]
        let custom = try CLI.run(arguments + ["--template", template, "-o", scratch.absolute("custom.md")])
        let builtIn = try CLI.run(arguments + ["-o", scratch.absolute("builtin.md")])
        #expect(custom.status == 0 && builtIn.status == 0, "\(custom.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.absolute("custom.md")))
            == Data(contentsOf: URL(fileURLWithPath: scratch.absolute("builtin.md"))))
    }
}
