public import CoordMigrateModel
public import CoordMigrateScan
/// `collision-free-messaging`: message file names carry a UUID. Every message
/// file is checked (the original tool sampled ten); the share is reported.
final class CollisionFreeMessagingDetector: PatternDetector {
    static let pattern: PatternID = .collisionFreeMessaging

    private var checked = 0
    private var matches = EvidenceSample()

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard MessageFiles.isNamedMessage(entry) else { return }
        checked += 1
        if entry.idMarks.uuid {
            matches.offer(Evidence(
                subject: .pattern(.collisionFreeMessaging), kind: .disk, path: entry.path,
                detail: "UUID in message name"))
        }
    }

    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        output.add(matches.items)
        let code = inventory.codeEvidence(.uuidNames, as: .pattern(.collisionFreeMessaging))
        if matches.count == 0, !code.isEmpty {
            output.add(code)
            let summary = "no message file names show it, but a program builds message names with it (\(code.map(\.location).joined(separator: ", ")))"
            return finding(present: true, summary: summary, kinds: [.code])
        }
        let summary = checked == 0
            ? "no message files found"
            : "\(matches.count) of \(plural(checked, "message file")) \(matches.count == 1 ? "carries" : "carry") a UUID (\(Percent.of(matches.count, checked)))"
        return finding(present: matches.count > 0, summary: summary, kinds: [.disk])
    }
}
