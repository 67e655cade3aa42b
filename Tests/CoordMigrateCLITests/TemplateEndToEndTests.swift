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
}
