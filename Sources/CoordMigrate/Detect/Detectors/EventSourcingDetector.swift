/// `event-sourcing`: present when the event log exists (see ``EventLogDetector``).
final class EventSourcingDetector: Detector {
    func visit(_ entry: ScanEntry, context: DetectionContext) {}

    func finish(context: DetectionContext) {
        let log = context.evidence.filter { $0.subject == "event-log" }.map(\.path).sorted()
        let summary = log.isEmpty ? "no event log found" : "event log at \(log.joined(separator: ", "))"
        context.setPattern(.eventSourcing, present: context.hasEventLog, summary: summary, kinds: [.disk])
    }
}
