public import CoordMigrateModel
public import Foundation
import Mustache

/// The plan as CommonMark, for the engineer doing the migration.
///
/// Renders `templates/report.md.mustache` (compiled in) or a user's template.
/// Templates use the `MARKDOWN` content type: `{{value}}` escapes every
/// character CommonMark would interpret, `{{{value}}}` inserts as is.
public struct MarkdownEmitter: ReportEmitter {
    /// `md`, the name `--format` takes.
    public static let identifier = "md"
    /// `markdown`.
    public static let aliases = ["markdown"]
    /// `md`.
    public static let fileExtension = "md"
    /// The format's line in `--help`.
    public static let summary = "the migration plan as CommonMark"

    /// The default template, as compiled into the binary.
    public static var defaultTemplate: String { String(decoding: PackageResources.report_md_mustache, as: UTF8.self) }

    private let template: any ReportTemplate

    /// - Parameter template: the text of a Mustache template; nil for the default.
    public init(template: String? = nil) throws {
        self.template = try MustacheSetup.template(template, builtIn: Self.defaultTemplate, format: "Markdown")
    }

    /// The report rendered through the template as UTF-8 CommonMark, runs of blank lines
    /// kept to one and a final newline added; throws ``EmitError`` when a user's template cannot
    /// render within its limits.
    public func emit(_ report: MigrationReport) throws -> Data {
        Data(try render(report).utf8)
    }

    func render(_ report: MigrationReport) throws -> String {
        let rendered = try MustacheSetup.render(template, ReportView.context(for: report), format: "Markdown")
        // Templates leave blank lines where sections are empty: keep at most one,
        // in one pass over the bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rendered.utf8.count + 1)
        var newlines = 0
        for byte in rendered.utf8 {
            newlines = byte == 0x0A ? newlines + 1 : 0
            if newlines <= 2 { bytes.append(byte) }
        }
        if bytes.last != 0x0A { bytes.append(0x0A) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Markdown escaping for Mustache's `{{value}}`.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { MarkdownText.inline(text) }
}

/// HTML escaping for Mustache's `{{value}}` that also replaces control
/// characters (which HTML forbids) with U+FFFD.
struct HTMLTextContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case _ where ShellQuoting.isControl(scalar) || !XMLText.isAllowed(scalar): out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

enum MustacheSetup {
    private static let once: Void = {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
        MustacheContentTypes.register(HTMLTextContentType(), named: "HTML_TEXT")
    }()

    static func registerContentTypes() { _ = once }

    /// The same content types, for ``LeanTemplate``.
    static let leanContentTypes: [String: @Sendable (String) -> String] = [
        "MARKDOWN": { MarkdownText.inline($0) },
        "HTML_TEXT": { HTMLTextContentType().escapeText($0) },
    ]

    /// The built-in template (`custom` nil) through ``LeanTemplate``, or a user's
    /// template through swift-mustache, with this module's content types.
    static func template(_ custom: String?, builtIn: String, format: String) throws -> any ReportTemplate {
        guard let custom else {
            do {
                return try LeanTemplate(builtIn, contentTypes: leanContentTypes)
            } catch {
                throw EmitError("the built-in \(format) template does not compile: \(error)")
            }
        }
        return try compile(custom, format: format)
    }

    /// Parses a template with swift-mustache, with this module's content types available to it.
    /// A template past ``TemplateOutline``'s limits is refused before parsing.
    static func compile(_ text: String, format: String) throws -> PartedTemplate {
        registerContentTypes()
        do {
            return try PartedTemplate(text)
        } catch let error as TemplateOutline.LimitError {
            throw EmitError("the \(format) template \(error)")
        } catch let error as TemplateSyntaxError {
            throw error
        } catch {
            throw EmitError("the \(format) template does not parse: \(error)")
        }
    }

    /// Renders `template`; a user's template stopped by its render limits is an ``EmitError``.
    static func render(_ template: any ReportTemplate, _ context: [String: Any], format: String) throws -> String {
        do {
            return try template.render(context)
        } catch let error as PartedTemplate.BudgetError {
            throw EmitError("the \(format) template \(error)")
        }
    }
}
