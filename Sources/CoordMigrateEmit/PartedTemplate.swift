import CoordMigrateModel
import Mustache

/// A Mustache template cut at `{{! part }}` lines into parts that are parsed and
/// rendered one by one, then joined.
///
/// This is how users' templates (`--template`, `--html-template`) are read. The
/// Mustache parser's time grows faster than the template's length (twice the text
/// takes about three times as long); cut into parts of a section or two, a template
/// parses several times faster. The built-in templates carry the markers too, so a
/// copy of one starts out fast (they are rendered by ``LeanTemplate`` themselves). A `{{! part }}` line is a Mustache comment, so
/// the file is also an ordinary template; cuts must sit outside every section.
/// Leading pragma lines (`{{% CONTENT_TYPE: … }}`) apply to every part.
///
/// A user's template is untrusted: before parsing, ``TemplateOutline`` refuses one
/// that nests too deep or holds too many tags, and each render is held to
/// ``RenderLimits`` through a ``RenderBudget``.
struct PartedTemplate: ReportTemplate {
    static let marker = "{{! part }}"

    /// Why a render was stopped.
    struct BudgetError: Error, CustomStringConvertible {
        var exhausted: RenderBudget.Exhausted
        var limits: RenderLimits

        var description: String {
            switch exhausted {
            case .size:
                "writes more than \(ByteCount.binary(limits.maxBytes)), the most a template's output may have; "
                    + "use fewer nested list sections (each nested {{#steps}} multiplies the output)"
            case .time:
                "took longer than \(Self.seconds(limits.maxSeconds)) to render, the most a template may take; "
                    + "use fewer nested list sections (each nested {{#steps}} multiplies the work)"
            }
        }

        private static func seconds(_ value: Double) -> String {
            value == value.rounded() && value < 1e15 ? "\(Int(value)) s" : "\(value) s"
        }
    }

    let parts: [MustacheTemplate]
    let outline: TemplateOutline
    var limits = RenderLimits.userTemplate

    init(_ text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var pragmas = ""
        while let first = lines.first, first.hasPrefix("{{%") {
            pragmas += first + "\n"
            lines.removeFirst()
        }
        let pragmaLines = pragmas.count { $0 == "\n" }
        var chunks: [String] = []
        // The file's line (1-based) each chunk starts on.
        var chunkLines = [pragmaLines + 1]
        var current: [Substring] = []
        for (number, line) in zip((pragmaLines + 1)..., lines) {
            if line.trimmingPrefix(while: { $0 == " " }) == Self.marker {
                chunks.append(current.joined(separator: "\n") + "\n")
                chunkLines.append(number + 1)
                current = []
            } else {
                current.append(line)
            }
        }
        chunks.append(current.joined(separator: "\n"))
        let sources = chunks.map { pragmas + $0 }
        outline = try TemplateOutline(parts: sources)
        var parsed: [MustacheTemplate] = []
        for (source, firstLine) in zip(sources, chunkLines) {
            do {
                parsed.append(try MustacheTemplate(string: source))
            } catch {
                // Said in the template's own terms where possible, else where swift-mustache stopped.
                if let located = TemplateSyntax.firstError(in: text) { throw located }
                guard let context = (error as? MustacheTemplate.ParserError)?.context else {
                    throw TemplateSyntaxError(line: 1, column: 1, message: TemplateSyntax.describe(error))
                }
                let line = context.lineNumber <= pragmaLines ? context.lineNumber : firstLine + context.lineNumber - pragmaLines - 1
                throw TemplateSyntaxError(
                    line: line, column: context.columnNumber,
                    message: TemplateSyntax.describe((error as? MustacheTemplate.ParserError)?.error ?? error))
            }
        }
        parts = parsed
    }

    func render(_ context: [String: Any]) throws -> String {
        let budget = RenderBudget(limits: limits, outline: outline)
        let root = BudgetedObject(context, budget: budget, isRoot: true)
        budget.charge(outline.topText)
        var out = ""
        for part in parts where budget.exhausted == nil {
            out += part.render(root)
            if out.utf8.count > limits.maxBytes { budget.markOversized() }
        }
        if let exhausted = budget.exhausted { throw BudgetError(exhausted: exhausted, limits: limits) }
        return out
    }
}

extension Substring {
    fileprivate func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
        self[(firstIndex { !predicate($0) } ?? endIndex)...].trimmingSuffix()
    }

    fileprivate func trimmingSuffix() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[startIndex..<end]
    }
}
