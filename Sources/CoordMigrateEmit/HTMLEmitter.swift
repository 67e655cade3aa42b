public import CoordMigrateModel
public import Foundation
import Mustache

/// The plan as one self-contained HTML page, for managers, wikis and CI artifacts.
///
/// Renders `templates/report.html.mustache` (compiled in) or a user's template,
/// with the `HTML_TEXT` content type: Mustache's HTML escaping, plus control
/// characters replaced. Prose passages written in CommonMark (step
/// descriptions) are rendered by cmark with raw HTML disabled; what cmark 0.30
/// cannot draw — tables, task lists, the pattern tiles and the timeline chart —
/// the template draws from the model. No scripts, no external requests.
public struct HTMLEmitter: ReportEmitter {
    /// `html`, the name `--format` takes.
    public static let identifier = "html"
    /// None.
    public static let aliases: [String] = []
    /// `html`.
    public static let fileExtension = "html"
    /// The format's line in `--help`.
    public static let summary = "a self-contained HTML report"

    /// The default template, as compiled into the binary.
    public static var defaultTemplate: String { String(decoding: PackageResources.report_html_mustache, as: UTF8.self) }

    /// The default stylesheet (`templates/report.css`), as compiled into the binary.
    public static var defaultStyles: String { String(decoding: PackageResources.report_css, as: UTF8.self) }

    private let template: any ReportTemplate

    /// - Parameter template: the text of a Mustache template; nil for the default.
    public init(template: String? = nil) throws {
        self.template = try MustacheSetup.template(template, builtIn: Self.defaultTemplate, format: "HTML")
    }

    /// The report rendered through the template as one UTF-8 HTML page; throws
    /// ``EmitError`` when a user's template cannot render within its limits.
    public func emit(_ report: MigrationReport) throws -> Data {
        Data(try MustacheSetup.render(template, Self.context(for: report), format: "HTML").utf8)
    }

    static func context(for report: MigrationReport) -> [String: Any] {
        var context = ReportView.context(for: report)
        context["steps"] = report.plan.steps.map { step -> [String: Any] in
            [
                "number": step.number, "title": step.title, "phase": step.phase.rawValue,
                "duration": step.duration, "risk": step.risk.rawValue,
                "descriptionHTML": CommonMark.html(step.description),
                "hasCommands": !step.commands.isEmpty, "commands": ReportView.block(step.commands),
                "documentation": step.documentation ?? "", "hasDocumentation": step.documentation != nil,
            ].merging(ReportView.touchPointKeys(step)) { first, _ in first }
        }
        context["timelineChart"] = timelineChart(report.plan.timeline)
        context["systemMapSVG"] = report.detection.systemMap.map { SystemMapSVG.render($0) } ?? ""
        context["breakdownRows"] = report.complexity.breakdown.map { factor -> [String: Any] in
            ["metric": metricName(factor.metric), "factor": factor.factor, "term": ReportView.term(factor), "reason": factor.reason]
        }
        // The stylesheet is kept out of the template (templates/report.css): a custom
        // template can reuse it with {{{styles}}}, and the template parses faster.
        context["styles"] = Self.defaultStyles
        context["riskClass"] = report.plan.riskAssessment.level.rawValue
        context["complexityClass"] = report.complexity.complexityLevel.rawValue
        return context
    }

    /// The figure a breakdown row adds to, as the score table's first column names it.
    static func metricName(_ metric: ScoreFactor.Metric) -> String {
        switch metric {
        case .complexity: "complexity score"
        case .hours: "estimated hours"
        case .risk: "risk score"
        }
    }

    /// Bars for the phase split, in SVG user units.
    static func timelineChart(_ timeline: Timeline) -> [String: Any] {
        let labelWidth = 120.0
        let barSpace = 300.0
        let rowHeight = 26.0
        let top = 8.0
        let largest = timeline.phases.map(\.hours).max() ?? 0
        let rows = timeline.phases.enumerated().map { index, phase -> [String: Any] in
            let width = largest > 0 ? max(2, phase.hours / largest * barSpace) : 2
            let y = top + Double(index) * rowHeight
            return [
                "phase": phase.phase.rawValue,
                "label": phase.phase.rawValue.prefix(1).uppercased() + phase.phase.rawValue.dropFirst(),
                "hours": phase.range.text, "percent": phase.percent,
                "x": ReportView.formatNumber(labelWidth), "y": ReportView.formatNumber(y),
                "textY": ReportView.formatNumber(y + 15), "width": ReportView.formatNumber(width),
                "valueX": ReportView.formatNumber(labelWidth + width + 8),
            ]
        }
        return [
            "width": ReportView.formatNumber(labelWidth + barSpace + 110),
            "height": ReportView.formatNumber(top * 2 + Double(rows.count) * rowHeight),
            "rows": rows,
        ]
    }
}
