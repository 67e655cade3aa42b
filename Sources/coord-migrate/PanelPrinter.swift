import CoordMigrate
import Foundation

/// The three panels of the original tool: detection, complexity, plan summary.
struct PanelPrinter {
    let terminal: Terminal
    /// The panels' width: the terminal's, at most 80 columns.
    var width: Int { terminal.columns }
    /// `--verbose`: every pattern with its evidence after the detection panel.
    var verbose = false

    init(terminal: Terminal, verbose: Bool = false) {
        self.terminal = terminal
        self.verbose = verbose
    }

    /// The title box, on a terminal only: in a CI log it is noise.
    func banner() {
        guard terminal.isTerminal else { return }
        box(title: nil, rows: [
            terminal.style("Coordination System Migration Assistant", .bold),
            "",
            "Analyzes existing systems and generates migration plans.",
        ])
        terminal.line()
    }

    func section(_ title: String) {
        terminal.line(terminal.style(title, .bold, .cyan))
    }

    private func mark(_ ok: Bool) -> String { ok ? terminal.glyph("✅", "[x]") : terminal.glyph("❌", "[ ]") }

    func detection(_ report: MigrationReport) {
        let d = report.detection
        func mark(_ ok: Bool, _ text: String) -> String { self.mark(ok) + " " + text }
        // Paths on lines of their own, never cut by the panel's width.
        terminal.line(terminal.style("Folder: ", .bold) + terminal.safe(report.targetPath))
        if let parts = d.parts {
            terminal.line(terminal.style("Combined from: ", .bold) + parts.map { terminal.safe($0.path) }.joined(separator: ", "))
        }
        if let discovery = d.discovery, let chosen = discovery.chosen {
            terminal.line(terminal.style("Nested system: ", .bold) + terminal.safe(chosen)
                + " (chosen below " + terminal.safe(discovery.requestedPath) + ")")
        }
        var rows: [(String, String)] = [
            ("Message System", mark(d.hasMessageSystem, d.messageSystemType.rawValue + (d.databaseType.map { " (\($0))" } ?? ""))),
            ("Event Log", mark(d.hasEventLog, d.hasEventLog ? "Found" : "Missing")),
            ("Inbox Structure", mark(d.hasInboxStructure, d.hasInboxStructure ? "Found" : "Missing")),
            ("Agent Config", mark(d.hasAgentConfig, d.hasAgentConfig ? "Found" : "Missing")),
            ("Estimated Scale", d.estimatedScale.rawValue.uppercased()),
            ("Platform", d.platform.uppercased()),
            ("Existing Patterns", "\(d.existingPatterns.count)/\(d.patterns.count)"),
            ("Gaps", d.gaps.isEmpty ? "0" : "\(d.gaps.count): " + d.gaps.map(\.rawValue).joined(separator: ", ")),
        ]
        let skipped = d.patterns.filter { $0.skippedReason != nil }.map(\.id)
        if !skipped.isEmpty { rows.append(("Skipped", skipped.joined(separator: ", "))) }
        if let map = d.systemMap, !map.isEmpty { rows.append(("System Map", map.countLine)) }
        if let database = d.database {
            rows.append(("Database", "\(database.engine), read-only: \(database.volumeSummary)"))
        }
        box(title: "Detection Results", rows: table(rows))
        if report.plan.recommendedStrategy.strategy == .greenfield {
            terminal.line(terminal.style("No coordination system was found in ", .yellow) + terminal.safe(report.targetPath)
                + ": no message system, event log, inboxes, agent configuration or pattern. The plan is the greenfield plan: build the system from scratch.")
        }
        for warning in d.warnings.prefix(10) {
            terminal.warning(warning.description)
        }
        if d.warnings.count > 10 {
            terminal.warning("\(d.warnings.count - 10) more warnings in the report")
        }
        if verbose { evidence(report) }
        terminal.line()
    }

    /// `--verbose`: each pattern, present or not, with the evidence behind it.
    func evidence(_ report: MigrationReport) {
        let d = report.detection
        terminal.line(terminal.style("Evidence per finding", .bold))
        for finding in d.patterns + d.customPatterns {
            let state = finding.skippedReason != nil ? terminal.glyph("⏭️", "[-]") : mark(finding.present)
            let confidence = finding.confidence.map { ", confidence \($0.rawValue)" } ?? ""
            terminal.line("  \(state) \(terminal.safe(finding.id)): \(terminal.safe(finding.skippedReason.map { "skipped: \($0)" } ?? finding.summary))\(confidence)")
            let items = d.evidence.filter { $0.subject.rawValue == finding.id }
            for item in items.prefix(20) {
                terminal.line("      \(item.kind.rawValue) \(terminal.safe(item.location)): \(terminal.safe(item.detail))")
            }
            if items.count > 20 { terminal.line("      \(items.count - 20) more in the report") }
        }
        for subject in ["message-system", "event-log", "inbox-structure", "agent-config"] {
            let items = d.evidence.filter { $0.subject.rawValue == subject }
            guard !items.isEmpty else { continue }
            terminal.line("  \(subject):")
            for item in items.prefix(20) {
                terminal.line("      \(item.kind.rawValue) \(terminal.safe(item.location)): \(terminal.safe(item.detail))")
            }
        }
    }

    func complexity(_ report: MigrationReport) {
        let c = report.complexity
        box(title: "Complexity Analysis", rows: table([
            ("Complexity", c.complexityLevel.rawValue.uppercased()),
            ("Effort", report.plan.steps.isEmpty ? "no steps" : "\(report.plan.stepHoursTotal.text), about \(report.plan.timeline.effortEstimate)"),
            ("Risk Level", report.plan.riskAssessment.level.rawValue.uppercased()),
            ("Breaking Changes", "\(c.breakingChanges.count)"),
            ("Data Migration", (c.dataMigrationRequired ? terminal.glyph("⚠️ ", "! ") : "") + report.dataMigrationSummary),
        ]))
        terminal.line()
    }

    func summary(_ report: MigrationReport, written: [String]) {
        let plan = report.plan
        terminal.line()
        terminal.line(terminal.style(terminal.glyph("✅", "OK") + " Migration plan generated: \(plan.steps.count) steps", .green))
        if plan.steps.isEmpty, let why = plan.noSystem {
            terminal.line(why)
        } else {
            terminal.line("Effort: \(plan.stepHoursTotal.text), about \(plan.timeline.effortEstimate) (the steps added up)")
            terminal.line("Risk: \(plan.riskAssessment.level.rawValue.uppercased()) (the riskiest step's)")
        }
        terminal.line("Strategy: \(plan.recommendedStrategy.name)")
        for hint in hints(report) {
            terminal.line(terminal.style("hint: ", .yellow) + hint)
        }
        terminal.line()
        let files = written.filter { $0 != "stdout" }
        if !files.isEmpty {
            terminal.line(terminal.style(terminal.glyph("✅", "OK") + " Migration analysis complete. See report: ", .green) + terminal.safe(files.joined(separator: ", ")))
        } else {
            terminal.line(terminal.style(terminal.glyph("✅", "OK") + " Migration analysis complete.", .green))
        }
    }

    /// `--show-skipped`: every skip, why, who answers for it, until when and where it was declared.
    func skipped(_ report: MigrationReport, system: String?) {
        let where_ = system.map { " in \(terminal.safe($0))" } ?? ""
        guard !report.skips.isEmpty else {
            terminal.line("Nothing is skipped\(where_).")
            return
        }
        terminal.line(terminal.style("Skipped patterns\(where_) (\(report.skips.count)):", .bold))
        for skip in report.skips {
            let state = skip.expired
                ? terminal.style("expired on \(skip.expires ?? "?"), checked again", .yellow)
                : terminal.style(skip.expires.map { "skipped until \($0)" } ?? "skipped", .dim)
            let declared = skip.line.map { "\(skip.source):\($0)" } ?? skip.source
            let owner = skip.owner.map { "; owner: \($0)" } ?? ""
            terminal.line("  \(terminal.safe(skip.id))  \(state): \(terminal.safe(skip.reason))  [\(terminal.safe(declared + owner))]")
        }
    }

    /// The original tool's troubleshooting advice, when the result calls for it.
    func hints(_ report: MigrationReport) -> [String] {
        var hints: [String] = []
        if report.detection.existingPatterns.isEmpty {
            hints.append("No patterns detected. That is expected for a new system: follow the plan's steps.")
        }
        if report.complexity.complexityLevel == .veryComplex {
            hints.append("Very complex: migrate in phases and test each phase before the next.")
        }
        if report.complexity.dataMigrationRequired {
            hints.append("Data migration required: verify data integrity afterwards and keep the backup until confirmed.")
        }
        if report.complexity.riskLevel == .high {
            hints.append("High risk: rehearse in staging, back up more than once, and migrate in a low-traffic window.")
        }
        return hints
    }
}
