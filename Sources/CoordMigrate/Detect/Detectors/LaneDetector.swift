/// Finds queue lanes: folders at fixed places relative to the root.
class LaneDetector: Detector {
    private let pattern: PatternID
    private let folders: Set<String>
    private let lane: String
    private var found: [String] = []
    private var notes: [String: String] = [:]

    init(pattern: PatternID, folders: Set<String>, lane: String) {
        self.pattern = pattern
        self.folders = folders
        self.lane = lane
    }

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.isDirectoryLike, entry.depth <= 2, folders.contains(entry.path) else { return }
        found.append(entry.path)
        notes[entry.path] = entry.kindNote
    }

    func finish(context: DetectionContext) {
        found.sort()
        context.addEvidence(found.map {
            Evidence(subject: pattern.rawValue, kind: .disk, path: $0 + "/", detail: "\(lane) lane folder" + (notes[$0] ?? ""))
        })
        let summary = found.isEmpty
            ? "no \(lane) lane folder found"
            : "\(lane) lane at \(found.map { $0 + "/" }.joined(separator: ", "))"
        context.setPattern(pattern, present: !found.isEmpty, summary: summary, kinds: [.disk])
    }
}
