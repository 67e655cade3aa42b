public import CoordMigrateModel
public import Foundation

/// The findings as GitHub Actions workflow commands (`::warning file=…,line=…,title=…::…`),
/// which the runner turns into annotations on the job and the pull request.
///
/// Failed gates are errors; missing patterns and checks, warnings and expired skips
/// are warnings; the score and each applied skip are notices. GitHub shows at most
/// ten annotations of a level per step, so past ten the tenth line sums up the rest.
/// Everything taken from the tree is escaped as the runner decodes it: `%`, CR and LF
/// in the message, and also `:` and `,` in properties; other control characters are
/// replaced, so no name can start a line or a command of its own.
///
/// ``stepSummary(_:)`` is the Markdown the command line appends to
/// `$GITHUB_STEP_SUMMARY` when this format is written.
public struct GitHubEmitter: ReportEmitter {
    /// `github`, the name `--format` takes.
    public static let identifier = "github"
    /// `github-actions`.
    public static let aliases = ["github-actions"]
    /// `github`: `migration-plan.github`; usually written to stdout with `--output -`.
    public static let fileExtension = "github"
    /// The format's line in `--help`.
    public static let summary = "GitHub Actions annotations (workflow commands; with GITHUB_STEP_SUMMARY, a job summary)"
    /// The most annotations of one level GitHub shows for a step.
    package static let annotationsPerLevel = 10

    /// Creates the emitter; it takes no template.
    public init() {}

    struct Annotation {
        var level: String
        var file: String?
        var line: Int?
        var title: String
        var message: String
    }

    static func annotations(for report: MigrationReport) -> [Annotation] {
        var errors: [Annotation] = []
        var warnings: [Annotation] = []
        var notices: [Annotation] = []
        for gate in report.gates where gate.failed {
            errors.append(Annotation(level: "error", title: "coord-migrate gate \(gate.condition)", message: gate.message))
        }
        let complexity = report.complexity
        let detection = report.detection
        notices.append(Annotation(
            level: "notice", title: "coord-migrate: migration readiness",
            message: "\(detection.existingPatterns.count) of \(PatternID.allCases.count) patterns present; "
                + "complexity \(complexity.complexityLevel.rawValue), effort \(report.plan.stepHoursTotal.text) "
                + "(about \(report.plan.timeline.effortEstimate)), risk \(report.plan.riskAssessment.level.rawValue), scale \(detection.estimatedScale.rawValue)"))
        for finding in CIFinding.all(report) {
            let place = finding.locations.first.flatMap { $0.path == "." ? nil : $0 }
            let annotation = Annotation(
                level: finding.suppression == nil ? "warning" : "notice", file: place?.path, line: place?.line,
                title: "coord-migrate \(finding.ruleID): \(finding.title)", message: finding.message)
            if finding.suppression == nil { warnings.append(annotation) } else { notices.append(annotation) }
        }
        return [errors, warnings, notices].flatMap(capped)
    }

    /// At most ``annotationsPerLevel`` of one level: past that, the last one sums up the rest.
    static func capped(_ annotations: [Annotation]) -> [Annotation] {
        guard annotations.count > annotationsPerLevel, let level = annotations.first?.level else { return annotations }
        let shown = Array(annotations.prefix(annotationsPerLevel - 1))
        let rest = annotations.dropFirst(annotationsPerLevel - 1)
        let noun = level == "error" ? "errors" : level == "warning" ? "warnings" : "notices"
        var titles = ""
        for annotation in rest {
            let next = (titles.isEmpty ? "" : "; ") + annotation.title
            if titles.count + next.count > 2000 {
                titles += "; …"
                break
            }
            titles += next
        }
        return shown + [Annotation(
            level: level, title: "coord-migrate: \(rest.count) more \(noun)",
            message: "\(rest.count) more \(noun) are in the report (SARIF, JSON or Markdown): \(titles)")]
    }

    /// One workflow command per line.
    public func emit(_ report: MigrationReport) throws -> Data {
        var out = ""
        for annotation in Self.annotations(for: report) {
            var properties: [String] = []
            if let file = annotation.file { properties.append("file=" + Self.escapeProperty(file)) }
            if let line = annotation.line { properties.append("line=\(line)") }
            properties.append("title=" + Self.escapeProperty(annotation.title))
            out += "::\(annotation.level) \(properties.joined(separator: ","))::\(Self.escapeData(annotation.message))\n"
        }
        return Data(out.utf8)
    }

    /// A message as the runner reads it back: `%` → `%25`, CR → `%0D`, LF → `%0A`;
    /// other control characters become U+FFFD.
    package static func escapeData(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A property value: as a message, and also `:` → `%3A`, `,` → `%2C`.
    package static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    /// The job summary: the headline numbers, the gates, what is missing, skipped or
    /// expired, and the first warnings, as CommonMark with every name from the tree
    /// escaped. At most about 64 KiB whatever the tree (GitHub takes 1 MiB per step).
    public static func stepSummary(_ report: MigrationReport) -> String {
        let detection = report.detection
        let complexity = report.complexity
        let system = detection.discovery?.chosen.map { " — " + MarkdownText.codeSpan($0) } ?? ""
        var lines = ["## Migration readiness\(system)", ""]
        lines += [
            "- **Patterns:** \(detection.existingPatterns.count) of \(PatternID.allCases.count) present",
            "- **Complexity:** \(complexity.complexityLevel.rawValue) (score \(complexity.complexityScore))",
            "- **Effort:** \(report.plan.stepHoursTotal.text), about \(MarkdownText.inline(report.plan.timeline.effortEstimate)): \(EffortWording.headline)",
            "- **Risk:** \(report.plan.riskAssessment.level.rawValue): \(report.plan.riskAssessment.rule)",
            "- **Scale:** \(detection.estimatedScale.rawValue)",
        ]
        if !detection.gaps.isEmpty {
            lines.append("- **Missing:** " + detection.gaps.map { MarkdownText.codeSpan($0.rawValue) }.joined(separator: ", "))
        }
        let missingChecks = CICatalog.infrastructure.filter { !CICatalog.passed($0, detection) }
        if !missingChecks.isEmpty {
            lines.append("- **Infrastructure to set up:** " + missingChecks.map { $0.title.lowercased() }.joined(separator: ", "))
        }
        if !report.gates.isEmpty {
            lines += ["", "### Gates", ""]
            lines += report.gates.map {
                "- \($0.failed ? "❌ failed" : "✅ passed"): \(MarkdownText.codeSpan($0.condition)) — \(MarkdownText.inline($0.actual))"
            }
        }
        if !report.skips.isEmpty {
            lines += ["", "### Skipped patterns", ""]
            lines += report.skips.prefix(50).map { skip in
                "- \(skip.expired ? "⚠️ expired" : "⏭️ skipped"): \(MarkdownText.codeSpan(skip.id)) — \(MarkdownText.inline(skip.reason))"
                    + (skip.terms.map { " (\(MarkdownText.inline($0)))" } ?? "")
            }
        }
        if !detection.warnings.isEmpty {
            lines += ["", "### Warnings (\(detection.warnings.count))", ""]
            lines += detection.warnings.prefix(10).map { warning in
                "- " + MarkdownText.codeSpan(warning.line.map { "\(warning.path):\($0)" } ?? warning.path) + ": "
                    + MarkdownText.inline(String(warning.message.prefix(500)))
            }
            if detection.warnings.count > 10 { lines.append("- … and \(detection.warnings.count - 10) more in the report") }
        }
        lines.append("")
        return lines.joined(separator: "\n") + "\n"
    }
}
