import CoordMigrateModel
import CoordMigrateScan
/// Finds queue lanes: folders at fixed places relative to the root.
class LaneDetector: BuiltInDetector {
    private let pattern: PatternID
    private let folders: Set<String>
    /// Folder names that are lanes wherever they sit (a few levels down).
    private let names: Set<String>
    private let signal: SourceCodeDetector.Signal
    private let lane: String
    private var found: [String] = []
    private var notes: [String: String] = [:]

    init(pattern: PatternID, folders: Set<String>, names: Set<String>, signal: SourceCodeDetector.Signal, lane: String) {
        self.pattern = pattern
        self.folders = folders
        self.names = names
        self.signal = signal
        self.lane = lane
    }

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.isDirectoryLike, entry.depth <= 4,
            folders.contains(entry.path) || names.contains(entry.name.lowercased()) && Self.holdsMessages(entry)
        else { return }
        found.append(entry.path)
        notes[entry.path] = entry.kindNote
    }

    /// A lane named like one counts at the root or where messages live: under
    /// `inbox/`, `messages/`, `mailboxes/`, `queue/`, or any `…/inbox/…`.
    static func holdsMessages(_ entry: ScanEntry) -> Bool {
        entry.depth == 1 || ["inbox", "messages", "mailboxes", "queue"].contains(where: entry.isInside)
            || entry.path.contains("/inbox/")
    }

    /// The lane's finding: folders on disk, else a program that moves work into one.
    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        let lane = decideLane(inventory, &output)
        return PatternFinding(pattern: pattern, present: lane.present, summary: lane.summary, evidenceKinds: lane.kinds)
    }

    private func decideLane(_ inventory: WalkInventory, _ output: inout PhaseOutput) -> (present: Bool, summary: String, kinds: [EvidenceKind]) {
        let found = found.sorted()
        let code = inventory.codeEvidence(signal, as: .pattern(pattern))
        if found.isEmpty, !code.isEmpty {
            output.add(code)
            let summary = "no \(lane) lane on disk, but a program moves work into one (\(code.map(\.location).joined(separator: ", ")))"
            return (true, summary, [.code])
        }
        output.add(found.map {
            Evidence(subject: .pattern(pattern), kind: .disk, path: $0 + "/", detail: "\(lane) lane folder" + (notes[$0] ?? ""))
        })
        let summary = found.isEmpty
            ? "no \(lane) lane folder found"
            : "\(lane) lane at \(found.map { $0 + "/" }.joined(separator: ", "))"
        return (!found.isEmpty, summary, [.disk])
    }
}
