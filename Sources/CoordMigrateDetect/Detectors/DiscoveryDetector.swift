import CoordMigrateModel
import CoordMigrateScan
/// Finds coordination systems a few levels down, for trees whose root shows none
/// (a monorepo with `bridge/inbox/…`, say), so the report can say where to look
/// instead of silently reporting nothing.
final class DiscoveryDetector: InventoryCollector {
    /// Marker names and how strongly each suggests a coordination system.
    static let weights: [String: (folder: Bool, weight: Int)] = [
        "inbox": (true, 3), "mailboxes": (true, 3), "messages": (true, 2), "events": (true, 2),
        "event_log": (true, 2), "queue": (true, 1), "events.log": (false, 2), "events.jsonl": (false, 2),
        "events.ndjson": (false, 2), "agents.yaml": (false, 2), "agents.yml": (false, 2), "agents.json": (false, 2),
        "config.yaml": (false, 1), "config.yml": (false, 1), "config.json": (false, 1),
    ]
    /// Folders that are parts of a system, not systems of their own.
    static let systemParts: Set<Substring> = ["inbox", "messages", "mailboxes", "queue", "events", "event_log"]
    static let maxDepth = 4
    static let maxParents = 1000
    static let minimumStrength = 3

    private var markers: [String: Set<String>] = [:]

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        // Most entries are message files: rule them out before hashing the name.
        guard entry.depth >= 2, entry.depth <= Self.maxDepth, entry.name.utf8.count <= 13,
            let rule = Self.weights[entry.name],
            rule.folder ? entry.kind == .directory : entry.kind == .file
        else { return }
        let parent = String(entry.parentPath)
        guard let first = parent.split(separator: "/").first, !Self.systemParts.contains(first),
            markers[parent] != nil || markers.count < Self.maxParents
        else { return }
        markers[parent, default: []].insert(rule.folder ? entry.name + "/" : entry.name)
    }

    func collect(into inventory: inout WalkInventory) {
        inventory.discoveryCandidates = markers.compactMap { parent, found -> DiscoveryCandidate? in
            let strength = found.reduce(0) { $0 + (Self.weights[$1.hasSuffix("/") ? String($1.dropLast()) : $1]?.weight ?? 0) }
            guard strength >= Self.minimumStrength else { return nil }
            return DiscoveryCandidate(path: parent + "/", markers: found.sorted(), strength: strength)
        }
        .sorted {
            ($1.strength, $0.path.split(separator: "/").count, $0.path)
                < ($0.strength, $1.path.split(separator: "/").count, $1.path)
        }
        .prefix(10).map { $0 }
    }
}
