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

    func finish(context: DetectionContext) {
        context.addEvidence(matches.items)
        let code = context.codeEvidence(.uuidNames, as: .pattern(.collisionFreeMessaging))
        if matches.count == 0, !code.isEmpty {
            context.addEvidence(code)
            let summary = "no message file names show it, but a program builds message names with it (\(code.map(\.location).joined(separator: ", ")))"
            context.setPattern(.collisionFreeMessaging, present: true, summary: summary, kinds: [.code])
            return
        }
        let summary = checked == 0
            ? "no message files found"
            : "\(matches.count) of \(plural(checked, "message file")) \(matches.count == 1 ? "carries" : "carry") a UUID (\(Percent.of(matches.count, checked)))"
        context.setPattern(.collisionFreeMessaging, present: matches.count > 0, summary: summary, kinds: [.disk])
    }
}
