import CoordMigrateModel
import CoordMigrateScan
/// `event-sourcing`: present when the event log exists (see ``EventLogDetector``).
final class EventSourcingDetector: PatternDetector {
    static let pattern: PatternID = .eventSourcing

    func visit(_ entry: ScanEntry, context: DetectionContext) {}

    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        let logEvidence = facts.eventLogEvidence
        output.add(logEvidence.map {
            Evidence(subject: .pattern(.eventSourcing), kind: $0.kind, path: $0.path, line: $0.line, detail: $0.detail)
        })
        let summary: String
        if logEvidence.isEmpty {
            summary = "no event log found"
        } else if logEvidence.allSatisfy({ $0.kind == .code }) {
            summary = "no event log on disk, but a program appends to one (\(logEvidence.map(\.location).sorted().joined(separator: ", ")))"
        } else {
            summary = "event log at \(logEvidence.map(\.path).sorted().joined(separator: ", "))"
        }
        let kinds = EvidenceKind.allCases.filter { kind in logEvidence.contains { $0.kind == kind } }
        return finding(present: facts.hasEventLog, summary: summary, kinds: kinds)
    }
}
