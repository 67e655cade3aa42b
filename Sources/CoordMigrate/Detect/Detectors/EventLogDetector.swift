/// Finds the event log: `events.log` or `events.jsonl` files, `event_log/` or `events/` folders, at the root.
final class EventLogDetector: Detector {
    private var found: [Evidence] = []

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.depth == 1 else { return }
        if entry.isFileLike, entry.name == "events.log" || entry.name == "events.jsonl" {
            found.append(Evidence(subject: "event-log", kind: .disk, path: entry.path, detail: "event log file" + entry.kindNote))
        } else if entry.isDirectoryLike, entry.name == "event_log" || entry.name == "events" {
            found.append(Evidence(subject: "event-log", kind: .disk, path: entry.path + "/", detail: "event log folder" + entry.kindNote))
        }
    }

    func finish(context: DetectionContext) {
        context.hasEventLog = !found.isEmpty
        context.addEvidence(found)
    }
}
