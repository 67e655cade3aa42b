@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
import Foundation
import Testing

@testable import CoordMigrate

/// Templates cut at `{{! part }}` lines render exactly as the whole template does.
@Suite("Templates parsed in parts")
struct PartedTemplateTests {
    @Test("the built-in templates render the same parsed whole and in parts", arguments: ["md", "html"])
    func builtInTemplates(_ format: String) throws {
        let report = try sampleReport("agent-bridge")
        let text = format == "md" ? MarkdownEmitter.defaultTemplate : HTMLEmitter.defaultTemplate
        #expect(text.contains(PartedTemplate.marker), "the built-in \(format) template is cut into parts")
        let whole = text.replacingOccurrences(of: PartedTemplate.marker + "\n", with: "")
        let parted = format == "md" ? try MarkdownEmitter(template: text).emit(report) : try HTMLEmitter(template: text).emit(report)
        let single = format == "md" ? try MarkdownEmitter(template: whole).emit(report) : try HTMLEmitter(template: whole).emit(report)
        #expect(parted == single)
        #expect(try PartedTemplate(text).parts.count > 5)
    }

    @Test("leading pragmas apply to every part")
    func pragmasApplyToEveryPart() throws {
        MustacheSetup.registerContentTypes()
        let template = try PartedTemplate("{{% CONTENT_TYPE: MARKDOWN}}\nA {{x}}\n{{! part }}\nB {{x}}\n")
        #expect(template.parts.count == 2)
        #expect(try template.render(["x": "*y*"]) == "A \\*y\\*\nB \\*y\\*\n")
    }

    @Test("a template without markers is one part")
    func noMarkers() throws {
        #expect(try PartedTemplate("one {{x}}\ntwo\n").parts.count == 1)
    }
}
