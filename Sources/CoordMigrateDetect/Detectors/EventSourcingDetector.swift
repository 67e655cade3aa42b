public import CoordMigrateModel
public import CoordMigrateScan
/// `event-sourcing`: present when the event log exists (see ``EventLogDetector``).
final class EventSourcingDetector: PatternDetector {
    static let pattern: PatternID = .eventSourcing

    func visit(_ entry: ScanEntry, context: DetectionContext) {}

    func finish(context: DetectionContext) {
        let logEvidence = context.evidence.filter { $0.subject == .eventLog }
        context.addEvidence(logEvidence.map {
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
        context.setPattern(.eventSourcing, present: context.hasEventLog, summary: summary, kinds: kinds)
    }
}
