package import CoordMigrateModel
package import Foundation

extension ReportDiff {
    /// The diff as CommonMark.
    package func markdown() -> String {
        var lines = ["# Migration Progress", ""]
        lines.append("Comparing the report of \(oldGeneratedAt) with the report of \(newGeneratedAt).")
        lines.append("")
        if let targetPathWarning {
            lines.append("**Note:** " + MarkdownText.inline(targetPathWarning.prefix(1).uppercased() + targetPathWarning.dropFirst()) + ".")
            lines.append("")
        }
        lines.append(regressed ? "**Result:** regressed" : "**Result:** no regression")
        lines.append("")
        lines.append("## Patterns")
        lines.append("")
        lines.append(patternsGained.isEmpty ? "- Gained: none" : "- Gained: " + patternsGained.map(MarkdownText.codeSpan).joined(separator: ", "))
        lines.append(patternsLost.isEmpty ? "- Lost: none" : "- Lost: " + patternsLost.map(MarkdownText.codeSpan).joined(separator: ", "))
        lines.append("")
        lines.append("## Scores")
        lines.append("")
        for change in changes {
            let arrow = change.old == change.new ? "unchanged (\(change.new))" : "\(change.old) → \(change.new)"
            let mark = change.regressed ? " (worse)" : change.improved ? " (better)" : ""
            lines.append("- **\(change.field.prefix(1).uppercased() + change.field.dropFirst()):** \(MarkdownText.inline(arrow))\(mark)")
        }
        lines.append("")
        lines.append("## Warnings")
        lines.append("")
        if newWarnings.isEmpty && resolvedWarnings.isEmpty { lines.append("No change.") }
        for warning in newWarnings { lines.append("- New: \(MarkdownText.inline(warning.description))") }
        for warning in resolvedWarnings { lines.append("- Resolved: \(MarkdownText.inline(warning.description))") }
        if let mapChanges {
            lines.append("")
            lines.append("## System map")
            lines.append("")
            if mapChanges.isEmpty { lines.append("No change: the same agents, channels and programs.") }
            if mapChanges.partial { lines.append("One of the maps left nodes out (it is bounded), so a node may show as added or gone only because it was cut.") }
            let rows: [(String, [String])] = [
                ("Agents added", mapChanges.agentsAdded), ("Agents gone", mapChanges.agentsGone),
                ("Channels added", mapChanges.channelsAdded), ("Channels gone", mapChanges.channelsGone),
                ("Programs added", mapChanges.programsAdded), ("Programs gone", mapChanges.programsGone),
            ]
            for (title, names) in rows where !names.isEmpty {
                lines.append("- **\(title):** " + names.map(MarkdownText.codeSpan).joined(separator: ", "))
            }
        }
        if regressed {
            lines.append("")
            lines.append("## Regressions")
            lines.append("")
            for regression in regressions { lines.append("- \(MarkdownText.inline(regression))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The diff as JUnit XML: one testcase per pattern lost or kept and per score.
    package func junit() throws -> Data {
        let cases: [(name: String, failure: String?)] =
            changes.map { ($0.field, $0.regressed ? "\($0.field) went from \($0.old) to \($0.new)" : nil) }
            + [("patterns", patternsLost.isEmpty ? nil : "lost: \(patternsLost.joined(separator: ", "))")]
            + [("warnings", newWarnings.isEmpty ? nil : newWarnings.map(\.description).joined(separator: "\n"))]
        let suite = JUnitEmitter.Suite(name: "regressions", cases: cases.map { testcase in
            JUnitEmitter.Case(
                name: testcase.name, classname: "coord-migrate.regressions",
                failure: testcase.failure.map { failure in
                    (message: failure.split(separator: "\n").first.map(String.init) ?? failure, type: "regression",
                     details: failure)
                })
        })
        return try JUnitEmitter.document(
            name: "coord-migrate diff", suites: [suite], time: nil, timestamp: nil, properties: [])
    }
}
