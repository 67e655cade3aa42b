import CoordMigrate
import Foundation

/// The three panels of the original tool: detection, complexity, plan summary.
struct PanelPrinter {
    let terminal: Terminal
    let width = 80

    func banner() {
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

    func detection(_ report: MigrationReport) {
        let d = report.detection
        func mark(_ ok: Bool, _ text: String) -> String { (ok ? "✅ " : "❌ ") + text }
        box(title: "Detection Results", rows: table([
            ("Message System", mark(d.hasMessageSystem, d.messageSystemType.rawValue + (d.databaseType.map { " (\($0))" } ?? ""))),
            ("Event Log", mark(d.hasEventLog, d.hasEventLog ? "Found" : "Missing")),
            ("Inbox Structure", mark(d.hasInboxStructure, d.hasInboxStructure ? "Found" : "Missing")),
            ("Agent Config", mark(d.hasAgentConfig, d.hasAgentConfig ? "Found" : "Missing")),
            ("Estimated Scale", d.estimatedScale.rawValue.uppercased()),
            ("Platform", d.platform.uppercased()),
            ("Existing Patterns", "\(d.existingPatterns.count)/\(d.patterns.count)"),
            ("Gaps", "\(d.gaps.count)"),
        ] + (d.database.map { database in
            [("Database", "\(database.engine), read-only: \(database.volumeSummary)")]
        } ?? [])))
        for warning in d.warnings.prefix(10) {
            terminal.warning(warning.description)
        }
        if d.warnings.count > 10 {
            terminal.warning("\(d.warnings.count - 10) more warnings in the report")
        }
        terminal.line()
    }

    func complexity(_ report: MigrationReport) {
        let c = report.complexity
        box(title: "Complexity Analysis", rows: table([
            ("Complexity", c.complexityLevel.rawValue.uppercased()),
            ("Estimated Hours", "\(c.estimatedHours)"),
            ("Risk Level", c.riskLevel.rawValue.uppercased()),
            ("Breaking Changes", "\(c.breakingChanges.count)"),
            ("Data Migration", c.dataMigrationRequired ? "⚠️ Required" : "❌ Not needed"),
        ]))
        terminal.line()
    }

    func summary(_ report: MigrationReport, written: [String]) {
        let plan = report.plan
        terminal.line()
        terminal.line(terminal.style("✅ Migration plan generated: \(plan.steps.count) steps", .green))
        terminal.line("Timeline: \(plan.estimatedTimeline)")
        terminal.line("Risk: \(report.complexity.riskLevel.rawValue.uppercased())")
        terminal.line("Strategy: \(plan.recommendedStrategy.name)")
        for hint in hints(report) {
            terminal.line(terminal.style("hint: ", .yellow) + hint)
        }
        terminal.line()
        let files = written.filter { $0 != "stdout" }
        if !files.isEmpty {
            terminal.line(terminal.style("✅ Migration analysis complete. See report: ", .green) + Terminal.sanitize(files.joined(separator: ", ")))
        } else {
            terminal.line(terminal.style("✅ Migration analysis complete.", .green))
        }
    }

    /// `--show-skipped`: every skip, why, who answers for it, until when and where it was declared.
    func skipped(_ report: MigrationReport, system: String?) {
        let where_ = system.map { " in \(Terminal.sanitize($0))" } ?? ""
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
            terminal.line("  \(Terminal.sanitize(skip.id))  \(state): \(Terminal.sanitize(skip.reason))  [\(Terminal.sanitize(declared + owner))]")
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

    private func table(_ rows: [(String, String)]) -> [String] {
        rows.map { label, value in
            " " + terminal.style(label.padding(toLength: 18, withPad: " ", startingAt: 0), .bold) + " " + Terminal.sanitize(value)
        }
    }

    private func box(title: String?, rows: [String]) {
        let inner = width - 2
        var top = "╭" + String(repeating: "─", count: inner) + "╮"
        if let title {
            let label = " \(title) "
            let left = (inner - label.count) / 2
            top = "╭" + String(repeating: "─", count: left) + label
                + String(repeating: "─", count: inner - left - label.count) + "╮"
        }
        terminal.line(top)
        for row in rows {
            let visible = Terminal.width(stripStyles(row))
            let padding = max(0, inner - 1 - visible)
            terminal.line("│ " + row + String(repeating: " ", count: padding) + "│")
        }
        terminal.line("╰" + String(repeating: "─", count: inner) + "╯")
    }

    private func stripStyles(_ text: String) -> String {
        var out = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if scalar == "\u{1B}" { inEscape = true; continue }
            if inEscape { if scalar == "m" { inEscape = false }; continue }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
