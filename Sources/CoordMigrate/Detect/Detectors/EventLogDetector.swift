/// Finds the event log: `events.log` or `events.jsonl` files, `event_log/` or `events/` folders, at the root.
final class EventLogDetector: Detector {
    private var found: [Evidence] = []

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.depth == 1 else { return }
        switch (entry.kind, entry.name) {
        case (.file, "events.log"), (.file, "events.jsonl"):
            found.append(Evidence(subject: "event-log", kind: .disk, path: entry.path, detail: "event log file"))
        case (.directory, "event_log"), (.directory, "events"):
            found.append(Evidence(subject: "event-log", kind: .disk, path: entry.path + "/", detail: "event log folder"))
        default:
            break
        }
    }

    func finish(context: DetectionContext) {
        context.hasEventLog = !found.isEmpty
        context.addEvidence(found)
    }
}
