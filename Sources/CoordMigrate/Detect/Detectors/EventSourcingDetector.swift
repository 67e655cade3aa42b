/// `event-sourcing`: present when the event log exists (see ``EventLogDetector``).
final class EventSourcingDetector: Detector {
    func visit(_ entry: ScanEntry, context: DetectionContext) {}

    func finish(context: DetectionContext) {
        let logEvidence = context.evidence.filter { $0.subject == "event-log" }
        context.addEvidence(logEvidence.map {
            Evidence(subject: PatternID.eventSourcing.rawValue, kind: $0.kind, path: $0.path, line: $0.line, detail: $0.detail)
        })
        let log = logEvidence.map(\.path).sorted()
        let summary = log.isEmpty ? "no event log found" : "event log at \(log.joined(separator: ", "))"
        context.setPattern(.eventSourcing, present: context.hasEventLog, summary: summary, kinds: [.disk])
    }
}
